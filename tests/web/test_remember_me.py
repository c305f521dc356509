"""'Keep me signed in': Secure under https, a bounded life, and dead after logout (server-side)."""
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime

import pytest

from tests.conftest import TEST_PASSWORD


def remember_login(client, email):
    res = client.post("/login", data={"email": email, "password": TEST_PASSWORD, "remember": "y"})
    assert res.status_code == 302
    return res


def status_with_cookie(app, cookie, path="/tasks"):
    """A request from a fresh browser holding only the remember cookie (own app context: no cached user)."""
    with app.app_context():
        other = app.test_client()
        other.set_cookie("remember_token", cookie)
        return other.get(path).status_code


def set_cookie(res, name):
    return next(h for h in res.headers.getlist("Set-Cookie") if h.startswith(name + "="))


class TestHttps:
    @pytest.fixture
    def app_config(self, app_config):
        return {**app_config, "BASE_URL": "https://sequencer.example.com"}

    def test_remember_cookie_is_secure_httponly_and_lives_two_weeks(self, client, factory, session):
        user = factory.user("rep")
        session.commit()
        header = set_cookie(remember_login(client, user.email), "remember_token")
        assert "Secure" in header and "HttpOnly" in header and "SameSite=Lax" in header
        expires = parsedate_to_datetime(header.split("Expires=")[1].split(";")[0])
        left = expires - datetime.now(UTC)
        assert timedelta(days=13) < left <= timedelta(days=14, minutes=1)


def test_remember_days_is_a_setting(app, client, factory, session):
    app.config["REMEMBER_COOKIE_DURATION"] = timedelta(days=3)
    user = factory.user("rep")
    session.commit()
    header = set_cookie(remember_login(client, user.email), "remember_token")
    expires = parsedate_to_datetime(header.split("Expires=")[1].split(";")[0])
    assert expires - datetime.now(UTC) <= timedelta(days=3, minutes=1)
    assert "Secure" not in header  # http BASE_URL (local use)


def test_a_copied_remember_cookie_is_dead_after_logout(app, client, factory, session):
    user = factory.user("rep")
    session.commit()
    with app.app_context():
        remember_login(client, user.email)
    stolen = client.get_cookie("remember_token").value
    assert status_with_cookie(app, stolen) == 200  # the cookie alone signs in, as it should
    with app.app_context():
        client.post("/logout")
    assert status_with_cookie(app, stolen) == 302


def test_logout_ends_other_sessions_but_a_new_login_works(app, client, factory, session):
    user = factory.user("rep")
    session.commit()
    other = app.test_client()
    with app.app_context():
        other.post("/login", data={"email": user.email, "password": TEST_PASSWORD})
    with app.app_context():
        remember_login(client, user.email)
    with app.app_context():
        client.post("/logout")
    with app.app_context():
        assert other.get("/tasks").status_code == 302
    with app.app_context():
        remember_login(client, user.email)
    with app.app_context():
        assert client.get("/tasks").status_code == 200


def test_deactivating_a_user_ends_their_remember_cookie(app, client, factory, session):
    user = factory.user("rep")
    session.commit()
    with app.app_context():
        remember_login(client, user.email)
    stolen = client.get_cookie("remember_token").value
    user.active = False
    session.commit()
    assert status_with_cookie(app, stolen) == 302


def test_reactivating_a_user_does_not_revive_an_old_remember_cookie(app, client, factory, session):
    from sequencer.accounts.users import set_active

    user, admin = factory.user("rep"), factory.user("admin")
    session.commit()
    with app.app_context():
        remember_login(client, user.email)
    stolen = client.get_cookie("remember_token").value
    set_active(session, user, False, actor=admin)
    session.commit()
    set_active(session, user, True, actor=admin)
    session.commit()
    assert status_with_cookie(app, stolen) == 302
