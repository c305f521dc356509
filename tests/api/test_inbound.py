"""POST /api/v1/inbound: who may post, what comes back, and the admin's read views."""
from __future__ import annotations

import pytest

from tests.inbound.messages import reply

SECRET = "webhook-secret"


@pytest.fixture
def app_config(app_config):
    return {**app_config, "INBOUND_SECRET": SECRET}


def _raw(body="Is this a good time to talk?"):
    return reply(sender="someone@elsewhere.test", body=body, message_id="<fixed.1@elsewhere.test>")


def _post(client, raw, **headers):
    return client.post("/api/v1/inbound", data=raw, headers={"Content-Type": "message/rfc822", **headers})


def test_the_shared_secret_is_enough_and_a_wrong_one_is_refused(client):
    ok = _post(client, _raw(), **{"X-Inbound-Secret": SECRET})
    assert ok.status_code == 200
    body = ok.get_json()
    assert body["classification"] == "unmatched" and body["status"] == "processed"
    assert set(body) >= {"classification", "prospect_id", "enrollment_id", "resume_at"}
    wrong = _post(client, _raw(), **{"X-Inbound-Secret": "guess"})
    assert wrong.status_code == 401 and wrong.get_json()["error"]["code"] == "unauthorized"
    assert _post(client, _raw()).status_code == 401


def test_without_a_configured_secret_no_secret_is_accepted(client, app):
    app.config["INBOUND_SECRET"] = None
    assert _post(client, _raw(), **{"X-Inbound-Secret": ""}).status_code == 401


def test_tokens_admins_may_post_reps_may_not(client, api):
    admin, rep = api("admin"), api("rep")
    assert _post(client, _raw(), **admin.headers).status_code == 200
    forbidden = _post(client, _raw(), **rep.headers)
    assert forbidden.status_code == 403 and forbidden.get_json()["error"]["code"] == "forbidden"


def test_posting_twice_is_one_message_and_says_duplicate(client):
    first = _post(client, _raw(), **{"X-Inbound-Secret": SECRET}).get_json()
    second = _post(client, _raw(), **{"X-Inbound-Secret": SECRET}).get_json()
    assert first["id"] == second["id"] and (first["duplicate"], second["duplicate"]) == (False, True)


def test_an_empty_body_is_a_clear_422(client):
    response = _post(client, b"  \r\n", **{"X-Inbound-Secret": SECRET})
    assert response.status_code == 422 and response.get_json()["error"]["details"][0]["field"] == "body"


def test_managers_read_stored_messages_reps_cannot(client, api):
    _post(client, _raw("<b>hi</b> there"), **{"X-Inbound-Secret": SECRET})
    _post(client, b"\x00\x01 not mail at all", **{"X-Inbound-Secret": SECRET})
    manager = api("manager")
    listed = manager.get("/api/v1/inbound")
    assert listed.status_code == 200 and listed.headers["X-Total-Count"] == "2"
    unparsed = manager.get("/api/v1/inbound?status=unparsed").get_json()
    assert [m["classification"] for m in unparsed] == ["unmatched"]
    one = manager.get(f"/api/v1/inbound/{listed.get_json()[-1]['id']}").get_json()
    assert "<b>hi</b> there" in one["text"] and "raw" not in one
    assert manager.get("/api/v1/inbound?status=bogus").status_code == 422
    assert manager.get("/api/v1/inbound/999999").status_code == 404
    assert api("rep").get("/api/v1/inbound").status_code == 403
