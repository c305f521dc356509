"""The opportunities contract: create, patch (stage history, lost reason, reopen), list with ?stale=true, rules."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from sequencer.models import Opportunity, StageChange
from sequencer.platform import clock

NOW = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)


@pytest.fixture
def frozen():
    with clock.frozen(NOW):
        yield


def patch(client, caller, url, json):
    return client.patch(url, json=json, headers=caller.headers)


def test_create_with_the_contract_fields(api, factory, frozen):
    caller = api("manager")
    company = factory.company(name="Baltic Freight")
    p = factory.prospect(company=company)
    res = caller.post("/api/v1/opportunities", json={
        "name": "Baltic Freight — AP rollout", "prospect_id": p.id, "owner_id": caller.user.id,
        "stage": "qualification", "amount": 24000, "currency": "eur", "close_date": "2027-02-15"})
    assert res.status_code == 201, res.json
    body = res.json
    assert body["stage"] == "qualification" and body["amount"] == 24000.0 and body["currency"] == "EUR"
    assert body["company"] == "Baltic Freight" and body["close_date"] == "2027-02-15"
    assert body["history"] == [{"from": None, "to": "qualification", "changed_by_id": caller.user.id,
                                "changed_at": "2026-11-25T10:00:00Z"}]
    assert body["last_activity_at"] == "2026-11-25T10:00:00Z" and body["stale"] is None


@pytest.mark.parametrize(("field", "value"), [
    ("prospect_id", 999999), ("owner_id", 999999), ("stage", "won"), ("currency", "EU"),
    ("amount", -5), ("amount", "lots"), ("close_date", "next week"), ("name", ""),
    ("bant", {"budget": {"value": "ok", "ok": "yes"}}), ("bant", {"money": {"value": "x"}}),
])
def test_bad_input_is_422_naming_the_field(api, factory, field, value):
    caller = api("manager")
    body = {"name": "Deal", "prospect_id": factory.prospect().id, field: value}
    res = caller.post("/api/v1/opportunities", json=body)
    assert res.status_code == 422, res.json
    assert res.json["error"]["code"] == "validation_error"
    assert any(d["field"].startswith(field) for d in res.json["error"]["details"]), res.json


def test_stage_moves_keep_history_lost_needs_a_reason_and_reopen_is_recorded(api, factory, session, client):
    caller = api("manager")
    with clock.frozen(NOW):
        opp_id = caller.post("/api/v1/opportunities", json={"name": "D", "prospect_id": factory.prospect().id}).json["id"]
    url = f"/api/v1/opportunities/{opp_id}"
    with clock.frozen(NOW + timedelta(days=1)):
        assert patch(client, caller, url, {"stage": "proposal"}).json["stage"] == "proposal"
        refused = patch(client, caller, url, {"stage": "closed_lost"})
        assert refused.status_code == 422 and refused.json["error"]["details"][0]["field"] == "lost_reason"
        lost = patch(client, caller, url, {"stage": "closed_lost", "lost_reason": "Chose a competitor"}).json
        assert lost["lost_reason"] == "Chose a competitor" and lost["closed_at"] == "2026-11-26T10:00:00Z"
    with clock.frozen(NOW + timedelta(days=2)):
        reopened = patch(client, caller, url, {"stage": "negotiation"}).json
    assert reopened["closed_at"] is None and reopened["lost_reason"] is None
    assert [(h["from"], h["to"]) for h in reopened["history"]] == [
        (None, "prospecting"), ("prospecting", "proposal"), ("proposal", "closed_lost"), ("closed_lost", "negotiation")]
    assert session.query(StageChange).filter_by(opportunity_id=opp_id).count() == 4


def test_patch_merges_bant_letters(api, factory, client):
    caller = api("manager")
    opp = caller.post("/api/v1/opportunities", json={
        "name": "D", "prospect_id": factory.prospect().id,
        "bant": {"budget": {"value": "€40k in FY budget", "ok": True}}}).json
    res = patch(client, caller, f"/api/v1/opportunities/{opp['id']}",
                {"bant": {"authority": {"value": "CFO signs", "ok": False}}})
    assert res.json["bant"] == {"budget": {"value": "€40k in FY budget", "ok": True},
                                "authority": {"value": "CFO signs", "ok": False}, "need": None, "timeline": None}


def test_reps_own_their_deals(api, factory, client, session):
    rep, other = api("rep"), api("rep")
    p = factory.prospect()
    denied = rep.post("/api/v1/opportunities", json={"name": "D", "prospect_id": p.id, "owner_id": other.user.id})
    assert denied.status_code == 403
    mine = rep.post("/api/v1/opportunities", json={"name": "D", "prospect_id": p.id}).json
    assert mine["owner_id"] == rep.user.id
    assert patch(client, other, f"/api/v1/opportunities/{mine['id']}", {"amount": 1}).status_code == 403
    assert session.get(Opportunity, mine["id"]).amount is None


def test_unknown_opportunity_is_404(api, client):
    caller = api("rep")
    assert caller.get("/api/v1/opportunities/424242").status_code == 404
    assert patch(client, caller, "/api/v1/opportunities/424242", {"name": "x"}).status_code == 404


def test_list_stale_true_returns_only_stale_open_deals_with_why(api, factory, client):
    caller = api("manager")
    p1, p2 = factory.prospect(), factory.prospect()
    with clock.frozen(NOW - timedelta(days=10)):
        quiet = caller.post("/api/v1/opportunities", json={"name": "Quiet", "prospect_id": p1.id,
                                                           "stage": "proposal"}).json
    with clock.frozen(NOW - timedelta(days=1)):
        caller.post("/api/v1/opportunities", json={"name": "Fresh", "prospect_id": p2.id, "stage": "proposal"})
    with clock.frozen(NOW):
        stale = caller.get("/api/v1/opportunities?stale=true").json
        others = caller.get("/api/v1/opportunities?stale=false").json
    assert [o["id"] for o in stale] == [quiet["id"]]
    assert stale[0]["stale"]["rule_days"] == 5 and stale[0]["stale"]["days_without_activity"] == 10
    assert "proposal deals go stale after 5" in stale[0]["stale"]["reason"]
    assert [o["name"] for o in others] == ["Fresh"]


def test_stale_rules_are_managed_by_managers(api):
    rep, manager = api("rep"), api("manager")
    assert rep.get("/api/v1/stale-rules").json["rules"] == {"qualification": 7, "needs_analysis": 7,
                                                           "proposal": 5, "negotiation": 3}
    assert rep.client_put("/api/v1/stale-rules", json={"rules": {"proposal": 2}}).status_code == 403
    bad = manager.client_put("/api/v1/stale-rules", json={"rules": {"proposal": 0}})
    assert bad.status_code == 422 and bad.json["error"]["details"][0]["field"] == "proposal"
    ok = manager.client_put("/api/v1/stale-rules", json={"rules": {"proposal": 2, "negotiation": 1},
                                                         "email_owner": True})
    assert ok.json == {"rules": {"proposal": 2, "negotiation": 1}, "email_owner": True, "reengage_sequence_id": None}
