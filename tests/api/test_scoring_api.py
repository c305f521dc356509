"""The "Activities and scores" contract: POST /activities, GET /prospects/{id}/score, GET/PUT /scoring."""
from __future__ import annotations

from datetime import timedelta

from sequencer.platform import clock


def _at(days: float = 0) -> str:
    return (clock.now() - timedelta(days=days)).isoformat().replace("+00:00", "Z")


def test_activities_batch_score_and_ledger(api, factory):
    rep = api("rep")
    p = factory.prospect(owner_id=rep.user.id)
    body = {"activities": [
        {"prospect_id": p.id, "kind": "demo_requested", "occurred_at": _at(3), "external_id": "d-1"},
        {"prospect_id": p.id, "kind": "page_view", "occurred_at": _at(1), "properties": {"url": "https://x.example/pricing"}},
        {"email": "stranger@nowhere.example", "kind": "content_download", "occurred_at": _at()},
        {"prospect_id": p.id, "kind": "nonsense", "occurred_at": _at()},
    ]}
    r = rep.post("/api/v1/activities", json=body)
    assert r.status_code == 202
    assert r.json == {"accepted": 3, "duplicates": 0, "anonymous": 1,
                      "errors": [{"index": 3, "field": "kind", "message": r.json["errors"][0]["message"]}]}
    again = rep.post("/api/v1/activities", json=body["activities"][0])  # one activity, not a batch
    assert again.status_code == 202 and again.json["duplicates"] == 1 and again.json["accepted"] == 0
    score = rep.get(f"/api/v1/prospects/{p.id}/score").json
    assert (score["fit"], score["engagement"], score["sales_ready"]) == (0, 35, False)
    assert sorted((line["rule"], line["points"]) for line in score["ledger"]) == [("demo_requested", 25),
                                                                                  ("pricing_page", 10)]
    assert sum(line["points"] for line in score["ledger"]) == score["fit"] + score["engagement"]


def test_activities_refuse_a_body_that_is_not_json(api):
    r = api("rep").post("/api/v1/activities", data="nope", content_type="application/json")
    assert r.status_code == 422 and r.json["error"]["code"] == "validation_error"


def test_score_of_a_missing_prospect_is_404(api):
    assert api("rep").get("/api/v1/prospects/424242/score").status_code == 404


def test_scoring_rules_get_put_dry_run(api, factory):
    manager, rep = api("manager"), api("rep")
    got = rep.get("/api/v1/scoring").json
    assert got["threshold"] == 50 and got["decay"] == {"points": 10, "idle_days": 30}
    assert [(r["kind"], r["points"]) for r in got["rules"]] == [
        ("page_view", 10), ("content_download", 15), ("webinar_attended", 20), ("demo_requested", 25),
        ("form_submitted", 25), ("form_submitted", 15), ("form_submitted", 10)]  # website forms, by the form's kind
    p = factory.prospect()
    manager.post("/api/v1/activities", json={"activities": [
        {"prospect_id": p.id, "kind": "demo_requested", "occurred_at": _at()},
        {"prospect_id": p.id, "kind": "webinar_attended", "occurred_at": _at()}]})
    lower = {**got, "threshold": 40}
    assert rep.client_put("/api/v1/scoring", json=lower).status_code == 403
    dry = manager.client_put("/api/v1/scoring?dry_run=1", json=lower)
    assert dry.json == {"would_become_sales_ready": 1, "would_stop_being_sales_ready": 0}
    assert manager.get(f"/api/v1/prospects/{p.id}/score").json["sales_ready"] is False  # the dry run changed nothing
    saved = manager.client_put("/api/v1/scoring", json=lower)
    assert saved.status_code == 200 and saved.json["version"] == 1 and saved.json["threshold"] == 40
    assert manager.get(f"/api/v1/prospects/{p.id}/score").json["sales_ready"] is True


def test_rules_the_editor_cannot_read_are_422_per_field(api):
    manager = api("manager")
    bad = {"rules": [{"key": "x", "kind": "page_view", "match": {"regex": ".*"}, "points": 5},
                     {"key": "x", "kind": "teleport", "match": {}, "points": "lots"}],
           "groups": [], "threshold": 0}
    r = manager.client_put("/api/v1/scoring", json=bad)
    assert r.status_code == 422
    fields = {d["field"] for d in r.json["error"]["details"]}
    assert {"rules.0.match", "rules.1.kind", "rules.1.points", "rules.1.key", "threshold"} <= fields
    assert manager.get("/api/v1/scoring").json["version"] == 0


def test_rule_values_of_the_wrong_shape_are_422_not_500(api):
    manager = api("manager")
    odd = {"rules": [{"key": "x", "kind": "page_view", "match": {}, "points": 5, "group": ["a"]}],
           "groups": [], "threshold": 50, "tracking": {"enabled": True, "sites": 7}}
    r = manager.client_put("/api/v1/scoring", json=odd)
    assert r.status_code == 422
    assert {"rules.0.group", "tracking.sites"} <= {d["field"] for d in r.json["error"]["details"]}


def test_prospect_list_filters_sales_ready_and_sorts_by_score(api, factory):
    rep = api("rep")
    cold, warm, hot = (factory.prospect(last_name=n) for n in ("Cold", "Warm", "Hot"))
    rep.post("/api/v1/activities", json={"activities": [
        {"prospect_id": warm.id, "kind": "demo_requested", "occurred_at": _at()},
        {"prospect_id": hot.id, "kind": "demo_requested", "occurred_at": _at()},
        {"prospect_id": hot.id, "kind": "webinar_attended", "occurred_at": _at()},
        {"prospect_id": hot.id, "kind": "content_download", "occurred_at": _at()}]})
    ranked = rep.get("/api/v1/prospects?sort=-score").json
    assert [p["last_name"] for p in ranked] == ["Hot", "Warm", "Cold"]
    assert ranked[0]["score"] == 60 and ranked[0]["sales_ready"] is True
    ready = rep.get("/api/v1/prospects?sales_ready=true&sort=-score").json
    assert [p["id"] for p in ready] == [hot.id]
