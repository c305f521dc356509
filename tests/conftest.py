"""Fixtures: a migrated database (SQLite, or PostgreSQL via TEST_DATABASE_URL), Redis, the app and clients."""
from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import text
from sqlalchemy.orm import Session

from sequencer.app import create_app
from sequencer.extensions import db
from sequencer.platform import clock, migrate
from sequencer.platform.db import Base, make_engine
from tests.api.openapi_check import CheckingClient
from tests.factories import Factory

TEST_PASSWORD = "correct horse battery"

pytest_plugins = [
    "tests.support.imap_fixtures",  # the Dovecot and misbehaving IMAP server fixtures
    "tests.support.dns_server",  # loopback_dns: a DNS server on loopback serving the records a test adds
    "tests.tasks.scenario",  # task_scenario: the task queue tests' world, for tests/tasks and tests/web
]


def _reset_postgres(url: str) -> None:
    engine = make_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A database migrated to head once per run; tables are emptied after each test."""
    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        _reset_postgres(url)
    else:
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"
    migrate.upgrade(url)
    return url


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    url = os.environ.get("REDIS_URL")
    if url:
        yield url
        return
    from sequencer.platform.redis_conn import embedded_redis, embedded_url, stop_embedded

    server = embedded_redis(str(tmp_path_factory.mktemp("redis")))
    yield embedded_url(server)
    stop_embedded(server, save=False)


@pytest.fixture
def redis_conn(redis_url: str) -> Iterator[redis.Redis]:
    conn = redis.Redis.from_url(redis_url)
    conn.flushdb()
    yield conn
    conn.close()


@pytest.fixture
def app_config(database_url: str, redis_url: str, tmp_path: Path) -> dict:
    """Override per test module to change settings (e.g. turn CSRF on)."""
    return {
        "TESTING": True,
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "SECRET_KEY": "test-secret-key-not-for-production",
        "INSTANCE_PATH": str(tmp_path / "instance"),
        "OUTBOX_DIR": str(tmp_path / "instance" / "outbox"),
        "WTF_CSRF_ENABLED": False,
        "LOGIN_THROTTLE_ENABLED": False,
        "BASE_URL": "http://sequencer.test",
    }


_TABLES = [t.name for t in Base.metadata.sorted_tables]
# PostgreSQL: which tables hold rows, in one round trip. TRUNCATE of all 43 cost 100 ms a test (files are
# recreated); deleting the few rows a test wrote, then restarting the sequences it used, costs a few ms.
_NON_EMPTY = text(" UNION ALL ".join(f"SELECT '{name}' WHERE EXISTS (SELECT 1 FROM {name})" for name in _TABLES))
_RESTART_USED_SEQUENCES = text("SELECT setval(format('%I.%I', schemaname, sequencename), start_value, false) "
                               "FROM pg_sequences WHERE last_value IS NOT NULL")


def _empty_tables(session: Session) -> None:
    """Every table empty and every id sequence back at its start, as a freshly migrated database."""
    if session.bind.dialect.name == "postgresql":
        holding = set(session.scalars(_NON_EMPTY))
        for name in reversed(_TABLES):  # children before parents
            if name in holding:
                session.execute(text(f"DELETE FROM {name}"))
        session.execute(_RESTART_USED_SEQUENCES)
    else:
        for name in reversed(_TABLES):
            session.execute(text(f"DELETE FROM {name}"))
    session.commit()


@pytest.fixture
def app(app_config: dict, redis_conn: redis.Redis) -> Iterator[Flask]:
    application = create_app(app_config)
    application.test_client_class = CheckingClient  # /api/v1 responses must match the OpenAPI document
    with application.app_context():
        yield application
        db.session.rollback()
        _empty_tables(db.session)
        db.remove()
        db.engine.dispose()
    clock.freeze(None)


@pytest.fixture
def session(app: Flask) -> Session:
    return db.session


@pytest.fixture
def factory(session: Session) -> Factory:
    return Factory(session)


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


def login(client: FlaskClient, email: str, password: str = TEST_PASSWORD):
    return client.post("/login", data={"email": email, "password": password})


def csrf_token_from(html: str) -> str:
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html) or re.search(
        r'<meta name="csrf-token" content="([^"]+)"', html)
    assert match, "page has no CSRF token"
    return match.group(1)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Everything under tests/browser is marked `browser` (CI selects on it); PostgreSQL-only tests skip, with the
    reason, where no TEST_DATABASE_URL is given."""
    browser_dir = Path(__file__).parent / "browser"
    for item in items:
        if browser_dir in item.path.parents:
            item.add_marker(pytest.mark.browser)
    if os.environ.get("TEST_DATABASE_URL"):
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL: set TEST_DATABASE_URL=postgresql+psycopg://...")
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(skip)


@pytest.fixture
def api(client: FlaskClient, factory: Factory):
    """A JSON client acting as a user of the given role: `api("manager").get(...)`."""

    class Caller:
        def __init__(self, role: str):
            self.user = factory.user(role)
            self.headers = {"Authorization": f"Bearer {factory.token(self.user)}"}

        def get(self, url: str, **kw):
            return client.get(url, headers=self.headers, **kw)

        def post(self, url: str, json=None, **kw):
            return client.post(url, json=json, headers=self.headers, **kw)

        def client_put(self, url: str, json=None, **kw):
            return client.put(url, json=json, headers=self.headers, **kw)

    return Caller
