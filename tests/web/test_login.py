"""Login, logout, CSRF, the login rate limit, and the HTML error pages."""
import pytest

from tests.conftest import TEST_PASSWORD, csrf_token_from, login


def test_login_then_logout(client, factory, session):
    user = factory.user("rep", email="ona@example.com")
    session.commit()
    res = login(client, "ona@example.com")
    assert res.status_code == 302
    assert client.get("/tasks").status_code == 200
    session.refresh(user)
    assert user.last_login_at is not None
    client.post("/logout")
    assert client.get("/tasks").status_code == 302


def test_wrong_login_does_not_reveal_whether_the_email_exists(client, factory, session):
    factory.user("rep", email="ona@example.com")
    session.commit()
    wrong_password = login(client, "ona@example.com", "not the password")
    unknown_email = login(client, "nobody@example.com", "not the password")
    assert wrong_password.status_code == unknown_email.status_code == 401
    assert "Invalid email or password." in wrong_password.get_data(as_text=True)
    assert "Invalid email or password." in unknown_email.get_data(as_text=True)


def test_deactivated_user_cannot_log_in(client, factory, session):
    factory.user("rep", email="gone@example.com", active=False)
    session.commit()
    assert login(client, "gone@example.com").status_code == 401


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x", "/\\evil.example"])
def test_login_never_redirects_off_site(client, factory, session, target):
    factory.user("rep", email="ona@example.com")
    session.commit()
    res = client.post(f"/login?next={target}", data={"email": "ona@example.com", "password": TEST_PASSWORD})
    assert res.status_code == 302
    assert "evil.example" not in res.headers["Location"]


def test_login_follows_a_local_next(client, factory, session):
    factory.user("manager", email="m@example.com")
    session.commit()
    res = client.post("/login?next=/prospects", data={"email": "m@example.com", "password": TEST_PASSWORD})
    assert res.headers["Location"] == "/prospects"


def test_anonymous_pages_redirect_to_login(client):
    for path in ("/", "/sequences", "/prospects", "/tasks", "/reports", "/outbox", "/settings"):
        res = client.get(path)
        assert res.status_code == 302 and "/login" in res.headers["Location"], path


def test_html_404_page(client):
    res = client.get("/no-such-page")
    assert res.status_code == 404
    assert res.mimetype == "text/html" and "Page not found" in res.get_data(as_text=True)


def test_html_500_page_and_json_500_under_api(app, client):
    @app.get("/boom")
    def boom():
        raise RuntimeError("kaboom")

    @app.get("/api/v1/boom")
    def api_boom():
        raise RuntimeError("kaboom")

    res = client.get("/boom")
    assert res.status_code == 500 and res.mimetype == "text/html"
    assert "kaboom" not in res.get_data(as_text=True)
    res = client.get("/api/v1/boom")
    assert res.status_code == 500 and res.json["error"]["code"] == "internal_error"


class TestWithCsrfAndRateLimit:
    @pytest.fixture
    def app_config(self, app_config):
        return {**app_config, "WTF_CSRF_ENABLED": True, "LOGIN_THROTTLE_ENABLED": True,
                "LOGIN_RATE_LIMIT": "3 per minute"}

    def test_login_without_csrf_token_is_refused(self, client, factory, session):
        factory.user("rep", email="ona@example.com")
        session.commit()
        res = login(client, "ona@example.com")
        assert res.status_code == 400
        assert "Form expired" in res.get_data(as_text=True)

    def test_login_with_csrf_token_works(self, client, factory, session):
        factory.user("rep", email="ona@example.com")
        session.commit()
        token = csrf_token_from(client.get("/login").get_data(as_text=True))
        res = client.post("/login", data={"email": "ona@example.com", "password": TEST_PASSWORD,
                                          "csrf_token": token})
        assert res.status_code == 302

    def test_logout_needs_csrf(self, client, factory, session):
        factory.user("rep", email="ona@example.com")
        session.commit()
        token = csrf_token_from(client.get("/login").get_data(as_text=True))
        client.post("/login", data={"email": "ona@example.com", "password": TEST_PASSWORD, "csrf_token": token})
        assert client.post("/logout").status_code == 400
        assert client.get("/tasks").status_code == 200

    def test_login_attempts_are_rate_limited(self, client):
        token = csrf_token_from(client.get("/login").get_data(as_text=True))
        codes = [client.post("/login", data={"email": "x@example.com", "password": "wrong-password",
                                             "csrf_token": token}).status_code for _ in range(4)]
        assert codes == [401, 401, 401, 429]
        assert client.get("/login").status_code == 200  # reading the page is not limited
