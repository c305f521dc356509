from datetime import UTC

from sequencer.platform import clock


def test_missing_token_is_401_json(client):
    res = client.get("/api/v1/users")
    assert res.status_code == 401
    assert res.json["error"]["code"] == "unauthorized"
    assert res.json["error"]["message"] == "missing bearer token"


def test_forged_token_is_401(client, factory):
    factory.token(factory.user("admin"))
    res = client.get("/api/v1/users", headers={"Authorization": "Bearer sq_forged-token-value"})
    assert res.status_code == 401
    assert res.json["error"]["code"] == "unauthorized"


def test_revoked_token_is_401(client, factory, session):
    user = factory.user("admin")
    token = factory.token(user)
    user.tokens[0].revoked_at = clock.now()
    session.commit()
    res = client.get("/api/v1/users", headers={"Authorization": f"Bearer {token}"})
    assert res.status_code == 401


def test_deactivated_users_token_is_401(client, factory, session):
    user = factory.user("admin")
    token = factory.token(user)
    user.active = False
    session.commit()
    assert client.get("/api/v1/users", headers={"Authorization": f"Bearer {token}"}).status_code == 401


def test_token_is_stored_hashed_and_records_use(client, factory, session):
    user = factory.user("manager")
    token = factory.token(user)
    row = user.tokens[0]
    assert token not in (row.token_hash, row.prefix) and len(row.token_hash) == 64
    assert client.get("/api/v1/users", headers={"Authorization": f"Bearer {token}"}).status_code == 200
    session.refresh(row)
    assert row.last_used_at is not None


def test_token_use_is_recorded_to_the_minute_not_written_on_every_call(client, factory, session):
    from datetime import datetime, timedelta

    from sequencer.platform import clock

    start = datetime(2026, 5, 4, 9, 0, tzinfo=UTC)
    clock.freeze(start)
    user = factory.user("manager")
    token, row = factory.token(user), user.tokens[0]
    headers = {"Authorization": f"Bearer {token}"}
    for moment, recorded in ((start, start), (start + timedelta(seconds=50), start),
                             (start + timedelta(seconds=70), start + timedelta(seconds=70))):
        clock.freeze(moment)
        assert client.get("/api/v1/users", headers=headers).status_code == 200
        session.refresh(row)
        assert row.last_used_at == recorded


def test_rep_cannot_list_users(api):
    res = api("rep").get("/api/v1/users")
    assert res.status_code == 403
    assert res.json["error"]["code"] == "forbidden"


def test_manager_lists_users_without_secrets(api):
    caller = api("manager")
    res = caller.get("/api/v1/users")
    assert res.status_code == 200
    (me,) = [u for u in res.json if u["id"] == caller.user.id]
    assert me == {"id": caller.user.id, "email": caller.user.email, "name": caller.user.name,
                  "role": "manager", "timezone": "Europe/Vilnius", "active": True}
    assert "password_hash" not in res.json[0]


def test_unknown_api_route_is_json_404(api):
    res = api("rep").get("/api/v1/nothing-here")
    assert res.status_code == 404
    assert res.json["error"]["code"] == "not_found"


def test_wrong_method_is_json_405(api):
    res = api("admin").post("/api/v1/users", json={})
    assert res.status_code == 405
    assert res.json["error"]["code"] == "method_not_allowed"
