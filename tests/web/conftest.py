"""Web-test helpers: users logged in per role, and a real local SMTP server (aiosmtpd) for the test-email button."""
from __future__ import annotations

import socket
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest
from aiosmtpd.controller import Controller

from tests.conftest import login


@dataclass
class RecordingHandler:
    """Accepts everything and keeps the messages; `refuse_rcpt` makes RCPT TO answer with that line."""

    refuse_rcpt: str | None = None
    messages: list = field(default_factory=list)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.refuse_rcpt:
            return self.refuse_rcpt
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(envelope)
        return "250 2.0.0 Message accepted for delivery"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _start(handler: RecordingHandler) -> Controller:
    controller = Controller(handler, hostname="127.0.0.1", port=_free_port())
    controller.start()
    return controller


@pytest.fixture
def smtp_server() -> Iterator[tuple[Controller, RecordingHandler]]:
    handler = RecordingHandler()
    controller = _start(handler)
    yield controller, handler
    controller.stop()


@pytest.fixture
def refusing_smtp_server() -> Iterator[tuple[Controller, RecordingHandler]]:
    handler = RecordingHandler(refuse_rcpt="550 5.1.1 no such user")
    controller = _start(handler)
    yield controller, handler
    controller.stop()


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
