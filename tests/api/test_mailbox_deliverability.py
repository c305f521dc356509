"""The mailbox API's deliverability fields (warmup, pool_id, health) and pools, validated against the OpenAPI."""
from __future__ import annotations

from datetime import UTC, datetime

from sequencer.platform import clock

BOX = {"email": "ona@acme.example", "transport": "smtp", "smtp_host": "smtp.gmail.com"}
MONDAY = datetime(2026, 12, 7, 8, 0, tzinfo=UTC)


def test_a_new_smtp_mailbox_ramps_from_today_and_waits_for_its_dns_check(api):
    with clock.frozen(MONDAY):
        res = api("admin").post("/api/v1/mailboxes", json=BOX)
    assert res.status_code == 201, res.json
    assert res.json["warmup"] == {"start": 10, "step": 5, "target": 200, "started_on": "2026-12-07",
                                  "limit_today": 10, "full_speed_on": "2027-01-28"}
    assert res.json["awaiting_domain_check"] is True and res.json["pool_id"] is None
    assert res.json["health"] == {"sent_7d": 0, "hard_bounce_rate": 0.0, "complaint_rate": 0.0,
                                  "sender_rejections_7d": 0, "paused_reason": None}


def test_warmup_is_configurable_or_off(api):
    admin = api("admin")
    with clock.frozen(MONDAY):
        custom = admin.post("/api/v1/mailboxes", json={**BOX, "daily_limit": 60, "warmup": {
            "start": 20, "step": 10, "target": 50, "started_on": "2026-12-01"}})
        off = admin.post("/api/v1/mailboxes", json={**BOX, "email": "b@acme.example", "warmup": None})
        outbox = admin.post("/api/v1/mailboxes", json={"email": "c@acme.example"})
    assert custom.json["warmup"]["limit_today"] == 50 and custom.json["warmup"]["full_speed_on"] == "2026-12-04"
    assert off.json["warmup"] is None and outbox.json["warmup"] is None
    assert outbox.json["awaiting_domain_check"] is False


def test_bad_deliverability_input_is_a_422_naming_the_field(api):
    admin = api("admin")
    for body, field in (({"warmup": {"start": "ten"}}, "warmup.start"), ({"warmup": {"step": 0}}, "warmup.step"),
                        ({"warmup": "fast"}, "warmup"), ({"pool_id": 2**40}, "pool_id"), ({"pool_id": 9}, "pool_id"),
                        ({"tracking_domain": "https://x/y"}, "tracking_domain"),
                        ({"dkim_selector": "a b"}, "dkim_selector")):
        res = admin.post("/api/v1/mailboxes", json={**BOX, **body})
        assert res.status_code == 422, (body, res.json)
        assert res.json["error"]["details"][0]["field"] == field


def test_pools_and_enrolment_on_a_pool(api, factory, session):
    manager = api("manager")
    rep = factory.user("rep")
    res = manager.post("/api/v1/mailbox-pools", json={"name": "Ona's boxes", "owner_id": rep.id})
    assert res.status_code == 201 and res.json["mailboxes"] == []
    pool_id = res.json["id"]
    box = api("admin").post("/api/v1/mailboxes", json={"email": "d@acme.example", "owner_id": rep.id,
                                                       "pool_id": pool_id})
    assert box.json["pool_id"] == pool_id
    listed = manager.get("/api/v1/mailbox-pools")
    assert listed.json[0]["mailboxes"] == [{"id": box.json["id"], "email": "d@acme.example", "room_today": 200}]
    seq = factory.sequence(steps=1, status="active")
    prospect = factory.prospect()
    session.commit()
    caller = api("rep")
    caller.user, caller.headers = rep, {"Authorization": f"Bearer {factory.token(rep)}"}
    enrolled = caller.post(f"/api/v1/sequences/{seq.id}/enrollments",
                           json={"prospect_ids": [prospect.id], "pool_id": pool_id})
    assert enrolled.status_code == 201 and len(enrolled.json["enrolled"]) == 1, enrolled.json
    assert api("rep").post("/api/v1/mailbox-pools", json={"name": "x", "owner_id": rep.id}).status_code == 403


def test_domain_checks_are_for_managers(api):
    assert api("manager").get("/api/v1/domain-checks").json == []
    assert api("rep").get("/api/v1/domain-checks").status_code == 403


def test_an_admin_accepts_a_domain_before_its_first_check_through_the_api(api):
    admin = api("admin")
    with clock.frozen(MONDAY):
        box = admin.post("/api/v1/mailboxes", json=BOX).json
        assert box["awaiting_domain_check"] is True
        accept = "/api/v1/domain-checks/accept"
        assert api("manager").post(accept, json={"domain": "acme.example"}).status_code == 403
        assert admin.post(accept, json={"domain": "nobody.example"}).status_code == 404
        assert admin.post(accept, json={"domain": ""}).status_code == 422
        accepted = admin.post(accept, json={"domain": "ACME.example "})
    assert accepted.status_code == 200, accepted.json
    assert accepted.json["domain"] == "acme.example" and accepted.json["passed"] is False
    assert accepted.json["problems"] == ["accepted before its first DNS check"]
    listed = {m["id"]: m for m in admin.get("/api/v1/mailboxes").json}
    assert listed[box["id"]]["awaiting_domain_check"] is False
