"""Web-test helpers: users logged in per role, and a real local SMTP server (aiosmtpd) for the test-email button."""
from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.conftest import login
from tests.support.smtp_sink import ScriptedHandler, Sink


@pytest.fixture
def smtp_server() -> Iterator[Sink]:
    with Sink() as sink:
        yield sink


@pytest.fixture
def refusing_smtp_server() -> Iterator[Sink]:
    with Sink(ScriptedHandler(rcpt_reply="550 5.1.1 no such user")) as sink:
        yield sink


@pytest.fixture
def as_role(client, factory, session):
    """`as_role("manager")` creates a user of that role, commits, logs the client in, returns the user."""

    def _login(role: str, **kw):
        user = factory.user(role, **kw)
        session.commit()
        response = login(client, user.email)
        assert response.status_code == 302, response.data[:500]
        return user

    return _login
