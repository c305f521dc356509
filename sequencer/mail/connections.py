"""SMTP connections kept open between the send batches of one mailbox in one worker process.

A worker sends batch after batch for the same mailboxes; a new TCP (and TLS, and AUTH) handshake per batch
is wasted time on both ends. `lease_transport` hands out the process's idle connection for the mailbox when
its settings are unchanged and it was used within IDLE_SECONDS (checked with a NOOP first), and takes it back
after a clean batch. A connection that failed in any way that may leave it in a bad state (lost, refused,
timed out) is closed, never pooled; so is everything idle for longer than IDLE_SECONDS.
"""
from __future__ import annotations

import atexit
import smtplib
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from sequencer.mail.transports import MailTransport, SendError, SmtpTransport, open_transport
from sequencer.models import Mailbox
from sequencer.models.mail import Transport

IDLE_SECONDS = 30.0  # well under the common server idle limits (Postfix: 300 s, most providers: 60 s or more)
MAX_IDLE = 64  # connections one process keeps at most; the least recently used go first
_CLEAN = ("bounce", "rejected")  # refusals the server answered in order: the session is still good


@dataclass
class _Idle:
    key: tuple
    transport: SmtpTransport
    since: float


_idle: dict[int, _Idle] = {}
_lock = threading.Lock()
monotonic: Callable[[], float] = time.monotonic


def _key(mailbox: Mailbox) -> tuple:
    """What the connection was opened with: any change (host, login, password, OAuth grant) means a new one."""
    return (mailbox.smtp_host, mailbox.smtp_port, mailbox.smtp_security, mailbox.smtp_username,
            mailbox.smtp_password_encrypted, mailbox.auth, mailbox.oauth_refresh_encrypted)


class _Watched:
    """The transport, remembering whether a failure may have left its session unusable."""

    def __init__(self, inner: MailTransport):
        self.inner, self.broken = inner, False

    def send(self, sender: str, recipient: str, data: bytes, message_id: str = "") -> str:
        try:
            return self.inner.send(sender, recipient, data, message_id)
        except SendError as exc:
            if exc.kind not in _CLEAN:
                self.broken = True
            raise

    def close(self) -> None:
        self.inner.close()


def _alive(transport: SmtpTransport) -> bool:
    conn = transport.conn
    if conn is None:
        return False
    try:
        return conn.noop()[0] == 250
    except (smtplib.SMTPException, OSError):
        return False


def _checkout(mailbox: Mailbox) -> SmtpTransport | None:
    """The idle connection for this mailbox if it is fresh, opened with today's settings and answers a NOOP."""
    now = monotonic()
    with _lock:
        stale = [mailbox_id for mailbox_id, item in _idle.items() if now - item.since > IDLE_SECONDS]
        closing = [_idle.pop(mailbox_id) for mailbox_id in stale]
        found = _idle.pop(mailbox.id, None)
    for item in closing:
        item.transport.close()
    if found is None:
        return None
    if found.key != _key(mailbox) or not _alive(found.transport):
        found.transport.close()
        return None
    found.transport.mailbox = mailbox  # this batch's row: a reconnect reads current settings
    return found.transport


def _checkin(mailbox: Mailbox, transport: SmtpTransport) -> None:
    if transport.conn is None:
        return
    evicted: list[_Idle] = []
    with _lock:
        _idle[mailbox.id] = _Idle(_key(mailbox), transport, monotonic())
        while len(_idle) > MAX_IDLE:
            evicted.append(_idle.pop(min(_idle, key=lambda k: _idle[k].since)))
    for item in evicted:
        item.transport.close()


@contextmanager
def lease_transport(mailbox: Mailbox, secret_key: str, outbox_dir: str) -> Iterator[MailTransport]:
    """The transport for one batch: the pooled SMTP connection when there is a good one, else a new transport."""
    inner = (_checkout(mailbox) if mailbox.transport == Transport.SMTP else None) \
        or open_transport(mailbox, secret_key, outbox_dir)
    watched = _Watched(inner)
    try:
        yield watched
    except BaseException:
        watched.close()
        raise
    if isinstance(inner, SmtpTransport) and not watched.broken:
        _checkin(mailbox, inner)
    else:
        watched.close()


def close_all() -> None:
    """Close every idle connection (a worker's exit; tests)."""
    with _lock:
        items = list(_idle.values())
        _idle.clear()
    for item in items:
        item.transport.close()


atexit.register(close_all)
