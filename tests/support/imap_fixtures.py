"""The IMAP servers as pytest fixtures (a plugin: tests/conftest.py lists it in pytest_plugins)."""
from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from tests.support.dovecot import DOVECOT, DovecotServer, start_dovecot
from tests.support.misbehaving_imap import MisbehavingImapServer


@pytest.fixture(scope="session")
def dovecot(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DovecotServer]:
    """One Dovecot for the whole run; skips when it is not installed."""
    if not os.access(DOVECOT, os.X_OK):
        pytest.skip("Dovecot is not installed (apt-get install dovecot-imapd); .ci/run installs it")
    server = start_dovecot(tmp_path_factory.mktemp("dovecot"))
    yield server
    server.stop()


@pytest.fixture
def imap_server(dovecot: DovecotServer) -> DovecotServer:
    """The session's Dovecot, emptied: only an empty INBOX (UIDs keep growing across tests)."""
    dovecot.clear()
    return dovecot


@pytest.fixture
def misbehaving_imap_server() -> Iterator[MisbehavingImapServer]:
    """A broken IMAP server in "garbage" mode; call set_mode() to pick another behaviour."""
    server = MisbehavingImapServer()
    yield server
    server.stop()
