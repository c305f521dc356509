"""The webhook endpoints and the change feed over /api/v1, as API.md describes them (responses are checked
against the OpenAPI document by the test client)."""
from __future__ import annotations

import base64
from datetime import timedelta

from standardwebhooks.webhooks import Webhook, WebhookVerificationError

from sequencer.models import WebhookEndpoint
from sequencer.platform import clock
from sequencer.platform.security import SecretBox
from sequencer.webhooks.delivery import signed_headers
from sequencer.webhooks.endpoints import signing_secrets

URL = "http://127.0.0.1:9/hook"


def _create(caller, **kw):
    return caller.post("/api/v1/webhooks", json={"url": URL, "events": ["deal.*", "email.replied"], **kw})


def test_a_manager_adds_an_endpoint_and_sees_the_secret_once(api, client, session):
    manager = api("manager")
    r = _create(manager, description="HubSpot sync")
    assert r.status_code == 201
    body = r.get_json()
    assert body["secret"].startswith("whsec_") and len(base64.b64decode(body["secret"][6:])) == 32
    assert body["events"] == ["deal.*", "email.replied"] and body["enabled"] is True
    stored = session.get(WebhookEndpoint, body["id"])
    assert body["secret"][6:] not in stored.secret  # encrypted at rest
    for r2 in (manager.get(f"/api/v1/webhooks/{body['id']}"), manager.get("/api/v1/webhooks")):
        assert r2.status_code == 200 and "secret" not in r2.get_data(as_text=True).replace("secret_rotated", "")


def test_reps_may_not_manage_webhooks_or_read_the_feed(api):
    rep = api("rep")
    assert _create(rep).status_code == 403
    assert rep.get("/api/v1/webhooks").status_code == 403
    assert rep.get("/api/v1/events").status_code == 403


def test_bad_input_is_a_422_naming_the_field(api):
    admin = api("admin")
    cases = [({"url": "https://10.0.0.5/x", "events": ["*"]}, "url"),
             ({"url": "http://93.184.215.14/x", "events": ["*"]}, "url"),
             ({"url": URL, "events": ["deal.exploded"]}, "events"),
             ({"url": URL, "events": []}, "events")]
    for payload, field in cases:
        r = admin.post("/api/v1/webhooks", json=payload)
        assert r.status_code == 422, payload
        assert r.get_json()["error"]["details"][0]["field"] == field


def test_patch_delete_and_not_found(api, client):
    admin = api("admin")
    wid = _create(admin).get_json()["id"]
    r = client.patch(f"/api/v1/webhooks/{wid}", json={"events": ["task.*"], "enabled": False}, headers=admin.headers)
    assert r.status_code == 200 and r.get_json()["events"] == ["task.*"] and r.get_json()["enabled"] is False
    assert r.get_json()["description"] == ""
    r = client.patch(f"/api/v1/webhooks/{wid}", json={"events": ["nope"]}, headers=admin.headers)
    assert r.status_code == 422
    assert client.delete(f"/api/v1/webhooks/{wid}", headers=admin.headers).status_code == 204
    assert admin.get(f"/api/v1/webhooks/{wid}").status_code == 404


def test_rotation_signs_with_both_secrets_for_24_hours(api, app, session):
    admin = api("admin")
    created = _create(admin).get_json()
    rotated = admin.post(f"/api/v1/webhooks/{created['id']}/rotate-secret")
    assert rotated.status_code == 200 and rotated.get_json()["secret"] != created["secret"]
    endpoint = session.get(WebhookEndpoint, created["id"])
    box = SecretBox(app.config["SECRET_KEY"])
    body = b'{"type":"deal.won"}'
    now = clock.now()
    headers = signed_headers(7, body, [Webhook(s) for s in signing_secrets(endpoint, box, now)], now)
    for secret in (created["secret"], rotated.get_json()["secret"]):
        Webhook(secret).verify(body, headers)
    later = now + timedelta(hours=25)
    assert len(signing_secrets(endpoint, box, later)) == 1
    headers = signed_headers(7, body, [Webhook(s) for s in signing_secrets(endpoint, box, later)], now)
    try:
        Webhook(created["secret"]).verify(body, headers)
        raise AssertionError("the old secret still verifies after 24 hours")
    except WebhookVerificationError:
        pass


def test_deliveries_list_and_replay(api, client, session, factory):
    from sequencer.extensions import db
    from sequencer.webhooks.pump import fan_out

    admin = api("admin")
    wid = admin.post("/api/v1/webhooks", json={"url": URL, "events": ["prospect.*"]}).get_json()["id"]
    factory.prospect()
    session.commit()
    fan_out(db.session, clock.now())
    r = admin.get(f"/api/v1/webhooks/{wid}/deliveries?status=pending")
    assert r.status_code == 200 and r.headers["X-Total-Count"] == "1"
    (delivery,) = r.get_json()
    assert delivery["type"] == "prospect.created" and delivery["attempts"] == []
    assert admin.get(f"/api/v1/webhooks/{wid}/deliveries?status=delivered").get_json() == []
    assert admin.get(f"/api/v1/webhooks/{wid}/deliveries?status=bogus").status_code == 422
    r = admin.post(f"/api/v1/webhooks/{wid}/deliveries/{delivery['id']}/replay")
    assert r.status_code == 202 and r.get_json()["status"] == "pending"
    assert admin.post(f"/api/v1/webhooks/{wid}/deliveries/999999/replay").status_code == 404


def test_the_feed_pages_with_a_cursor_and_filters_by_type(api, session, factory):
    admin = api("admin")
    for _ in range(5):
        factory.prospect()
    factory.task()
    session.commit()
    seen, after = [], ""
    for _ in range(10):
        page = admin.get(f"/api/v1/events?limit=2&after={after}").get_json()
        seen += [e["id"] for e in page["events"]]
        if page["next"] == after:
            break
        after = page["next"]
    assert len(seen) == 6 and len(set(seen)) == 6 and seen == sorted(seen)
    tasks = admin.get("/api/v1/events?types=task.*").get_json()["events"]
    assert [e["type"] for e in tasks] == ["task.created"]
    assert admin.get("/api/v1/events?after=garbage!").status_code == 422
    for cursor in ("99999999999999999999", "²"):  # past a BIGINT, or a digit int() would not read
        assert admin.get(f"/api/v1/events?after={cursor}").status_code == 422
    assert admin.get("/api/v1/events?limit=0").status_code == 422
    assert admin.get("/api/v1/events?types=nope.*").status_code == 422
