"""Login throttling: failures only, per account and per client address (X-Forwarded-For only from a
configured proxy), and still throttling when Redis is down."""
import pytest

from tests.conftest import TEST_PASSWORD


def attempt(client, email, password="wrong-password", forwarded_for=None):
    headers = {"X-Forwarded-For": forwarded_for} if forwarded_for else {}
    return client.post("/login", data={"email": email, "password": password}, headers=headers).status_code


@pytest.fixture
def app_config(app_config):
    return {**app_config, "LOGIN_THROTTLE_ENABLED": True, "LOGIN_RATE_LIMIT": "3 per minute",
            "LOGIN_ADDRESS_RATE_LIMIT": "5 per minute", "TRUSTED_PROXIES": 1}


def test_successful_logins_are_not_counted(app, client, factory, session):
    user = factory.user("rep")
    session.commit()
    for _ in range(6):
        assert attempt(client, user.email, TEST_PASSWORD) == 302
        client.post("/logout")


def test_a_correct_password_behind_the_proxy_is_not_refused_for_others_failures(app, client, factory, session):
    victim = factory.user("rep")
    session.commit()
    for n in range(6):  # other people behind the same proxy mistype their passwords
        attempt(client, f"someone{n}@example.com", forwarded_for=f"203.0.113.{n}")
    assert attempt(client, victim.email, TEST_PASSWORD, forwarded_for="198.51.100.7") == 302


def test_failures_per_account_lock_that_account_only(app, client, factory, session):
    target, other = factory.user("rep"), factory.user("rep")
    session.commit()
    codes = [attempt(client, target.email, forwarded_for=f"203.0.113.{n}") for n in range(4)]
    assert codes == [401, 401, 401, 429]
    assert attempt(client, target.email.upper(), TEST_PASSWORD, forwarded_for="198.51.100.1") == 429
    assert attempt(client, other.email, TEST_PASSWORD, forwarded_for="198.51.100.1") == 302


def test_failures_per_address_lock_that_address_only(app, client, factory, session):
    user = factory.user("rep")
    session.commit()
    codes = [attempt(client, f"guess{n}@example.com", forwarded_for="203.0.113.9") for n in range(6)]
    assert codes == [401] * 5 + [429]
    assert attempt(client, user.email, TEST_PASSWORD, forwarded_for="203.0.113.9") == 429
    assert attempt(client, user.email, TEST_PASSWORD, forwarded_for="203.0.113.10") == 302


def test_the_answer_says_when_to_retry(app, client):
    for _ in range(3):
        attempt(client, "x@example.com")
    res = client.post("/login", data={"email": "x@example.com", "password": "wrong-password"})
    assert res.status_code == 429
    assert 0 < int(res.headers["Retry-After"]) <= 60
    assert "Too many failed sign-ins" in res.get_data(as_text=True)


class TestWithoutTrustedProxy:
    @pytest.fixture
    def app_config(self, app_config):
        return {**app_config, "TRUSTED_PROXIES": 0}

    def test_a_forged_forwarded_for_does_not_escape_the_address_limit(self, app, client):
        codes = [attempt(client, f"guess{n}@example.com", forwarded_for=f"203.0.113.{n}") for n in range(6)]
        assert codes == [401] * 5 + [429]


class TestRedisDown:
    @pytest.fixture
    def app_config(self, app_config):
        return {**app_config, "REDIS_URL": "redis://127.0.0.1:1/0"}  # nothing listens there

    def test_throttling_goes_on_in_process(self, app, client, factory, session):
        user = factory.user("rep")
        session.commit()
        codes = [attempt(client, user.email) for _ in range(4)]
        assert codes == [401, 401, 401, 429]
