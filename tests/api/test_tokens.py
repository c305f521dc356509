"""GET/POST /api/v1/tokens and DELETE /api/v1/tokens/{id}: one's own tokens, never a hash."""
from datetime import timedelta

from sequencer.platform import clock


def test_create_list_and_revoke_through_the_api(api, client):
    me = api("rep")
    res = me.post("/api/v1/tokens", json={"name": "CRM sync", "expires_in_days": 30})
    assert res.status_code == 201
    body = res.json
    assert body["token"].startswith("sq_") and body["name"] == "CRM sync" and body["expires_at"].endswith("Z")
    new_headers = {"Authorization": f"Bearer {body['token']}"}
    assert client.get("/api/v1/tokens", headers=new_headers).status_code == 200

    listed = me.get("/api/v1/tokens").json
    assert {t["name"] for t in listed} == {"CRM sync", ""}
    assert all("token" not in t and "token_hash" not in t for t in listed)
    assert any(t["last_used_at"] for t in listed if t["name"] == "CRM sync")

    assert client.delete(f"/api/v1/tokens/{body['id']}", headers=me.headers).status_code == 204
    res = client.get("/api/v1/tokens", headers=new_headers)
    assert res.status_code == 401 and res.json["error"]["code"] == "unauthorized"


def test_another_reps_token_is_not_found(api, client):
    owner, other = api("rep"), api("rep")
    token_id = owner.get("/api/v1/tokens").json[0]["id"]
    res = client.delete(f"/api/v1/tokens/{token_id}", headers=other.headers)
    assert res.status_code == 404
    assert owner.get("/api/v1/tokens").status_code == 200


def test_bad_expiry_is_422_naming_the_field(api):
    res = api("rep").post("/api/v1/tokens", json={"name": "x", "expires_in_days": 0})
    assert res.status_code == 422
    assert res.json["error"]["details"][0]["field"] == "expires_in_days"


def test_an_expired_token_is_401(api, session, factory, client):
    user = factory.user("rep")
    from sequencer.accounts.tokens import issue_token

    _, token = issue_token(session, user, name="short", expires_in_days=1)
    session.commit()
    with clock.frozen(clock.now() + timedelta(days=1, seconds=1)):
        res = client.get("/api/v1/tokens", headers={"Authorization": f"Bearer {token}"})
    assert res.status_code == 401
