"""Recording a chunk of sent emails at once: on PostgreSQL three statements for the whole chunk (mark sent,
`sent` events, next steps) instead of three or four per email, and one commit.

The mark is conditional on each run's claim, exactly like `answers.record_sent`: a row another worker took back
(or an admin settled) is left alone, and then no event and no next step are written for it either. Other
databases go through `record_sent` email by email.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Integer, String, Text, bindparam, func, insert, update
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from sequencer.mail.answers import record_sent
from sequencer.models import Event, Mailbox, StepRun, StepRunState
from sequencer.outreach.enrollment import LIVE, finish, next_run_values
from sequencer.platform.db import UTCDateTime, table_of


@dataclass
class Sent:
    """An email the server accepted, waiting to be recorded with its chunk."""
    run: StepRun
    composed: Any  # sequencer.mail.compose.Composed
    reply: str
    at: datetime


def _mark_sent_statement():
    """UPDATE … FROM unnest(arrays), conditional on each run's claim. Built once: its shape never depends on the
    chunk's size, so SQLAlchemy compiles it once per process (a VALUES list compiled anew for every chunk was a
    sixth of a send's CPU)."""
    runs = table_of(StepRun)
    rows = func.unnest(*(bindparam(f"sent_{name}", type_=ARRAY(kind)) for name, kind in _COLUMNS)) \
        .table_valued(*(name for name, _ in _COLUMNS)).render_derived(name="sent_rows")
    return (update(runs).where(runs.c.id == rows.c.id, runs.c.claimed_by == rows.c.token,
                               runs.c.state.in_((StepRunState.SENDING, StepRunState.UNCERTAIN)))
            .values(state=StepRunState.SENT, sent_at=rows.c.at, done_at=rows.c.at, lease_until=None, why_waiting=None,
                    subject=rows.c.subject, body_html=rows.c.body_html, body_text=rows.c.body_text,
                    message_id=rows.c.message_id, error=None)
            .returning(runs.c.id))


_COLUMNS = (("id", Integer()), ("token", String()), ("at", UTCDateTime()), ("subject", Text()),
            ("body_html", Text()), ("body_text", Text()), ("message_id", String()))
_MARK_SENT = _mark_sent_statement()


def _mark_sent(session: Session, items: list[Sent]) -> set[int]:
    """One statement for the chunk, conditional on each run's claim; the ids it marked sent."""
    params = {"sent_id": [i.run.id for i in items], "sent_token": [i.run.claimed_by for i in items],
              "sent_at": [i.at for i in items], "sent_subject": [i.composed.subject for i in items],
              "sent_body_html": [i.composed.body_html for i in items],
              "sent_body_text": [i.composed.body_text for i in items],
              "sent_message_id": [i.composed.message_id for i in items]}
    return set(session.connection().execute(_MARK_SENT, params).scalars())


def _event(item: Sent, mailbox: Mailbox) -> dict[str, Any]:
    run, enrollment = item.run, item.run.enrollment
    return {"kind": "sent", "occurred_at": item.at, "prospect_id": enrollment.prospect_id,
            "enrollment_id": enrollment.id, "sequence_id": enrollment.sequence_id, "step_id": run.step_id,
            "step_run_id": run.id, "variant_id": run.variant_id, "mailbox_id": mailbox.id,
            "payload": {"message_id": item.composed.message_id, "smtp": item.reply}}


def record_sent_many(session: Session, mailbox: Mailbox, items: list[Sent]) -> None:
    """Record a chunk of accepted emails in the session's transaction (the caller commits once): on PostgreSQL
    one UPDATE for the chunk, one multi-row INSERT of its events, one of the next steps."""
    if not items:
        return
    if session.get_bind().dialect.name != "postgresql":
        for item in items:
            record_sent(session, item.run, mailbox, item.composed, item.reply, item.at)
        return
    won = _mark_sent(session, items)
    mine = [i for i in items if i.run.id in won]  # a run another worker took back gets nothing written
    for item in mine:  # the rows are written: tell the loaded objects, without a second UPDATE
        for key, value in (("state", StepRunState.SENT), ("sent_at", item.at), ("done_at", item.at),
                           ("lease_until", None), ("why_waiting", None), ("subject", item.composed.subject),
                           ("body_html", item.composed.body_html), ("body_text", item.composed.body_text),
                           ("message_id", item.composed.message_id), ("error", None)):
            set_committed_value(item.run, key, value)
    if mine and mailbox.consecutive_failures:
        mailbox.consecutive_failures = 0
    if mine:  # Core insert: the webhook and scoring hooks read its rows (sequencer.webhooks.hook)
        session.execute(insert(Event), [_event(item, mailbox) for item in mine])
    following = []
    for item in mine:
        enrollment = item.run.enrollment
        if enrollment.status not in LIVE:
            continue
        values_ = next_run_values(item.run, item.at)
        if values_ is None:
            finish(session, enrollment, item.at)
        else:
            following.append(values_)
    if following:
        session.execute(insert(StepRun), following)
