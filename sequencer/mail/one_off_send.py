"""Sending a one-off email at most once: rechecked, composed, `send_started_at` committed, then SMTP, then `sent`.

The order of commits is the same duplicate-send guarantee as `delivery.send_batch`: once the start mark is
committed no run of the job sends the row again. A worker that dies after it leaves the row `sending`; the next
run of the job, or the dispatcher's sweep (`settle_stale`), makes it `uncertain` — shown, never resent.
"""
from __future__ import annotations

import logging
from datetime import datetime, timedelta

from jinja2 import TemplateError
from sqlalchemy import select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from sequencer.accounts.permissions import may_send_from
from sequencer.accounts.workspace import get_workspace
from sequencer.deliverability import dkim
from sequencer.deliverability.tracking_domain import tracking_base
from sequencer.errors import Conflict
from sequencer.inbound.bounces.taxonomy import SENDER, SOFT, classify_reply
from sequencer.mail.answers import SendSettings
from sequencer.mail.compose import Composed
from sequencer.mail.connections import lease_transport
from sequencer.mail.mime import build_message
from sequencer.mail.one_off import compose_one_off, mailbox_problem, why_not_contactable
from sequencer.mail.transports import SendError
from sequencer.models import Event, Mailbox, OneOffEmail, OneOffState
from sequencer.people.suppression.rules import hard_bounce
from sequencer.platform.db import rowcount

log = logging.getLogger(__name__)
STALE = timedelta(minutes=10)  # far past the job's timeout: a row still `sending` then lost its worker
UNCERTAIN_WHY = "the worker stopped after handing it to SMTP: check the recipient's copy before writing again"


def _event(session: Session, row: OneOffEmail, kind: str, now: datetime, **payload) -> None:
    session.add(Event(kind=kind, occurred_at=now, prospect_id=row.prospect_id, user_id=row.user_id,
                      mailbox_id=row.mailbox_id, payload={"one_off_email_id": row.id, **payload}))


def _fail(session: Session, row: OneOffEmail, why: str, now: datetime) -> str:
    """Not sent, and known not to be: failed with the reason (the rep may write again)."""
    row.state, row.error, row.send_started_at = OneOffState.FAILED, why[:2000], None
    _event(session, row, "send_failed", now, error=why[:500], subject=row.subject[:300])
    session.commit()
    return row.state.value


def _uncertain(session: Session, row: OneOffEmail, why: str, now: datetime) -> None:
    row.state, row.error = OneOffState.UNCERTAIN, why[:2000]
    _event(session, row, "send_uncertain", now, error=why[:500])


def settle_stale(session: Session, now: datetime) -> int:
    """One-offs whose worker stopped after their start mark: `uncertain`, never sent again; the caller commits."""
    rows = list(session.scalars(select(OneOffEmail).where(OneOffEmail.state == OneOffState.SENDING,
                                                          OneOffEmail.send_started_at < now - STALE)))
    for row in rows:
        _uncertain(session, row, UNCERTAIN_WHY, now)
    return len(rows)


def _prepare(session: Session, row: OneOffEmail, settings: SendSettings) -> tuple[Mailbox, Composed, bytes] | str:
    """Recheck and compose: (mailbox, message, signed bytes), or why it must not go."""
    mailbox = row.mailbox
    if mailbox is None or row.user is None or not may_send_from(row.user, mailbox):
        return "the mailbox is gone or no longer the sender's"
    why = why_not_contactable(session, row.prospect) or mailbox_problem(session, mailbox)
    if why:
        return why
    workspace = get_workspace(session)
    try:
        composed = compose_one_off(row, base_url=tracking_base(session, mailbox, workspace, settings.base_url),
                                   secret=settings.secret_key, postal_address=workspace.postal_address,
                                   link_domains=list(workspace.tracked_link_domains or []))
    except (TemplateError, Conflict) as exc:
        return f"cannot be rendered: {exc}"
    if composed.missing:
        return f"missing values: {', '.join(composed.missing)}"
    return mailbox, composed, dkim.sign(build_message(composed, settings.clock()), mailbox, settings.secret_key)


def send(session: Session, one_off_id: int, settings: SendSettings) -> str:
    """Send the queued one-off once; safe to run twice (a started or finished row is left alone). Its end state."""
    now = settings.clock()
    row = session.get(OneOffEmail, one_off_id, populate_existing=True)
    if row is None:
        return "gone"
    if row.state == OneOffState.SENDING and row.send_started_at and row.send_started_at < now - STALE:
        _uncertain(session, row, UNCERTAIN_WHY, now)
        session.commit()
    if row.state != OneOffState.QUEUED or row.send_started_at is not None:
        return row.state.value
    ready = _prepare(session, row, settings)
    if isinstance(ready, str):
        return _fail(session, row, f"not sent: {ready}", now)
    mailbox, composed, data = ready
    started = rowcount(session.execute(
        update(OneOffEmail).where(OneOffEmail.id == row.id, OneOffEmail.state == OneOffState.QUEUED,
                                  OneOffEmail.send_started_at.is_(None))
        .values(state=OneOffState.SENDING, send_started_at=now).execution_options(synchronize_session=False)))
    session.commit()  # durable before SMTP: from here on this row is never handed over again
    if not started:
        return "skipped"
    set_committed_value(row, "state", OneOffState.SENDING)
    set_committed_value(row, "send_started_at", now)
    try:
        with lease_transport(mailbox, settings.secret_key, settings.outbox_dir) as transport:
            reply = transport.send(composed.from_email, composed.to_email, data, composed.message_id)
    except SendError as exc:
        return _refused(session, row, exc, settings.clock())
    _record_sent(session, row, composed, reply, settings.clock())
    session.commit()
    return OneOffState.SENT.value


def _record_sent(session: Session, row: OneOffEmail, composed: Composed, reply: str, at: datetime) -> None:
    """Mark it sent (only from sending/uncertain: an admin's settling wins) with the `sent` event replies,
    reports and the timeline read."""
    values = {"state": OneOffState.SENT, "sent_at": at, "sent_subject": composed.subject,
              "body_html": composed.body_html, "body_text": composed.body_text, "message_id": composed.message_id,
              "error": None}
    done = rowcount(session.execute(
        update(OneOffEmail).where(OneOffEmail.id == row.id,
                                  OneOffEmail.state.in_((OneOffState.SENDING, OneOffState.UNCERTAIN)))
        .values(**values).execution_options(synchronize_session=False)))
    if done:
        for key, value in values.items():  # the row is written: tell the loaded object, without a second UPDATE
            set_committed_value(row, key, value)
        _event(session, row, "sent", at, message_id=composed.message_id, subject=composed.subject[:300],
               smtp=reply[:300], one_off=True)


def _refused(session: Session, row: OneOffEmail, exc: SendError, now: datetime) -> str:
    """The server's refusal: uncertain if SMTP may have it, else failed (a hard bounce also stops the prospect)."""
    log.warning("one-off email %s: %s (%s)", row.id, exc, exc.kind)
    if exc.kind == "uncertain":
        _uncertain(session, row, f"connection lost after the message was handed over: {exc}", now)
        session.commit()
        return row.state.value
    if exc.kind == "bounce":
        reason, klass, _ = classify_reply(str(exc).split(": ", 1)[-1])
        if klass not in (SENDER, SOFT):  # the address does not exist: the same rule as a sequence's bounce
            hard_bounce(session, row.prospect, now, str(exc), reason=reason, one_off_email_id=row.id)
    return _fail(session, row, f"not sent: {exc}", now)
