"""Poll a mailbox's IMAP folders for replies, bounces and auto-replies without touching the rep's mail.

Folders are opened read-only (EXAMINE) and fetched with BODY.PEEK[], so nothing is marked read.
Per folder we remember UIDVALIDITY and the last UID ingested, committed after every message: a
crash re-reads at most one message, which the Message-ID makes harmless. A changed UIDVALIDITY
means the server renumbered the folder: we start it over, and again Message-IDs keep it at-most-once.
A server that is down or answers garbage costs one failed poll; after FLAG_AFTER failures in a row
the mailbox shows the error to an admin (polling goes on, so it recovers by itself).
"""
from __future__ import annotations

import contextlib
import imaplib
import logging
import socket
import ssl
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from imapclient import IMAPClient
from imapclient.exceptions import IMAPClientError
from sqlalchemy import select
from sqlalchemy.orm import Session

from sequencer.inbound.bounces.mailbox_health import pause_mailbox
from sequencer.inbound.service import ingest
from sequencer.mailauth import xoauth2
from sequencer.mailauth.tokens import OAuthUnusable
from sequencer.models import ImapFolderState, Mailbox
from sequencer.models.mail import MailboxAuth, MailboxStatus, SmtpSecurity
from sequencer.platform.security import SecretBox

log = logging.getLogger(__name__)
FLAG_AFTER = 3
FETCH_BATCH = 20
NETWORK_ERRORS = (IMAPClientError, imaplib.IMAP4.error, OSError, socket.timeout, ssl.SSLError, EOFError)


@dataclass
class PollResult:
    ingested: int = 0
    duplicates: int = 0
    folders: dict[str, int] = field(default_factory=dict)
    error: str | None = None


def configured(mailbox: Mailbox) -> bool:
    return bool(mailbox.imap_host)


def flagged(mailbox: Mailbox) -> bool:
    """Failed often enough in a row that an admin should look."""
    return mailbox.imap_failures >= FLAG_AFTER


def connect(mailbox: Mailbox, secrets: SecretBox, timeout: float = 30) -> IMAPClient:
    """A logged-in client for the mailbox (implicit TLS, STARTTLS or plain on a trusted network)."""
    context = ssl.create_default_context() if mailbox.imap_security != SmtpSecurity.NONE else None
    implicit = mailbox.imap_security == SmtpSecurity.TLS
    port = mailbox.imap_port or (993 if implicit else 143)

    def open_client() -> IMAPClient:
        client = IMAPClient(mailbox.imap_host, port=port, ssl=implicit, ssl_context=context, timeout=timeout)
        if mailbox.imap_security == SmtpSecurity.STARTTLS:
            try:
                client.starttls(context)
            except BaseException:
                _close(client)
                raise
        return client

    if mailbox.auth != MailboxAuth.PASSWORD:
        return xoauth2.imap_login(open_client, mailbox, secrets)
    client = open_client()
    try:
        password = secrets.decrypt(mailbox.imap_password_encrypted) if mailbox.imap_password_encrypted else ""
        client.login(mailbox.imap_username or mailbox.email, password)
    except BaseException:
        _close(client)
        raise
    return client


def _close(client: IMAPClient) -> None:
    try:
        client.logout()
    except Exception:  # noqa: BLE001 - the connection may already be gone
        with contextlib.suppress(Exception):
            client.shutdown()


def _state(session: Session, mailbox: Mailbox, folder: str, uidvalidity: int, now: datetime) -> ImapFolderState:
    state = session.scalars(select(ImapFolderState).where(ImapFolderState.mailbox_id == mailbox.id,
                                                          ImapFolderState.folder == folder)).first()
    if state is None:
        state = ImapFolderState(mailbox_id=mailbox.id, folder=folder, uidvalidity=uidvalidity, last_uid=0,
                                updated_at=now)
        session.add(state)
    elif state.uidvalidity != uidvalidity:
        log.warning("mailbox %s folder %s: UIDVALIDITY changed, reading it again", mailbox.id, folder)
        state.uidvalidity, state.last_uid = uidvalidity, 0
    session.commit()
    return state


def _poll_folder(session: Session, client: IMAPClient, mailbox: Mailbox, folder: str, now: datetime,
                 result: PollResult) -> None:
    info = client.select_folder(folder, readonly=True)
    state = _state(session, mailbox, folder, int(info[b"UIDVALIDITY"]), now)
    uids = sorted(u for u in client.search(["UID", f"{state.last_uid + 1}:*"]) if u > state.last_uid)
    for start in range(0, len(uids), FETCH_BATCH):
        batch = uids[start:start + FETCH_BATCH]
        fetched = client.fetch(batch, ["BODY.PEEK[]"])
        for uid in batch:
            raw = fetched.get(uid, {}).get(b"BODY[]")
            if raw is not None:
                outcome = ingest(session, raw, source="imap", now=now, mailbox_id=mailbox.id, folder=folder)
                result.ingested += not outcome.duplicate
                result.duplicates += outcome.duplicate
            state.last_uid, state.updated_at = uid, now
            session.commit()
    result.folders[folder] = len(uids)


def poll_mailbox(session: Session, mailbox: Mailbox, secrets: SecretBox, now: datetime,
                 connector: Callable[[Mailbox, SecretBox], IMAPClient] = connect) -> PollResult:
    """Ingest what is new in INBOX and the mailbox's other folders; never raises for the server's faults."""
    result = PollResult()
    try:
        client = connector(mailbox, secrets)
        try:
            for folder in dict.fromkeys(["INBOX", *(mailbox.imap_folders or [])]):
                _poll_folder(session, client, mailbox, folder, now, result)
        finally:
            _close(client)
    except OAuthUnusable as exc:  # e.g. the grant is gone (the owner has a task): stop sending too until fixed
        result.error = mailbox.imap_error = str(exc)[:1000]
        if mailbox.status == MailboxStatus.ACTIVE:
            pause_mailbox(session, mailbox, result.error, now, automatic=mailbox.owner_id is None)
    except NETWORK_ERRORS as exc:
        session.rollback()
        mailbox.imap_failures += 1
        result.error = f"{type(exc).__name__}: {exc}"[:1000]
        mailbox.imap_error = result.error
        log.warning("IMAP poll of mailbox %s failed (%s in a row): %s", mailbox.id, mailbox.imap_failures, exc)
    else:
        mailbox.imap_failures, mailbox.imap_error = 0, None
    mailbox.imap_checked_at = now
    session.commit()
    return result
