"""`doctor`'s mailbox checks: each active SMTP mailbox logs in, and each IMAP one too. Nothing is sent."""
from __future__ import annotations

import contextlib

from sqlalchemy import select
from sqlalchemy.orm import Session

from sequencer.inbound.imap import connect as imap_connect
from sequencer.mail.mailboxes import smtp_connection
from sequencer.models import Mailbox
from sequencer.models.mail import MailboxStatus, Transport
from sequencer.ops.doctor import Check
from sequencer.platform.security import SecretBox

TIMEOUT = 10


def check_mailboxes(session: Session, secrets: SecretBox) -> list[Check]:
    out = []
    for mailbox in session.scalars(select(Mailbox).order_by(Mailbox.id)):
        if mailbox.status == MailboxStatus.PAUSED:
            out.append(Check(f"mailbox {mailbox.email}", "warn", f"paused: {mailbox.paused_reason or 'by an admin'}"))
        if mailbox.transport == Transport.SMTP:
            out.append(_smtp(mailbox, secrets))
        if mailbox.imap_host:
            out.append(_imap(mailbox, secrets))
    return out


def _smtp(mailbox: Mailbox, secrets: SecretBox) -> Check:
    name = f"smtp {mailbox.email}"
    try:
        conn = smtp_connection(mailbox, secrets, timeout=TIMEOUT)
    except Exception as exc:  # refused, timeout, TLS, authentication: all say the same to an operator
        return Check(name, "fail", f"{type(exc).__name__}: {_first_line(exc)}")
    with contextlib.suppress(Exception):
        conn.quit()
    return Check(name, "ok", f"logged in to {mailbox.smtp_host}:{mailbox.smtp_port}")


def _imap(mailbox: Mailbox, secrets: SecretBox) -> Check:
    name = f"imap {mailbox.email}"
    try:
        client = imap_connect(mailbox, secrets, timeout=TIMEOUT)
    except Exception as exc:
        return Check(name, "fail", f"{type(exc).__name__}: {_first_line(exc)}")
    with contextlib.suppress(Exception):
        client.logout()
    return Check(name, "ok", f"logged in to {mailbox.imap_host}")


def _first_line(exc: Exception) -> str:
    text = str(exc) or repr(exc)
    return text.splitlines()[0][:200] if text else ""
