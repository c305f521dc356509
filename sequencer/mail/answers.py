"""What the mail server's answer does to a claimed email: sent (recorded with its event, the sequence moves on),
or refused, retried with backoff, failed, bounced, left `uncertain`, or the mailbox paused.

Every write is conditional on the claim the worker still holds, so a send another worker took back is
never recorded twice.
"""
from __future__ import annotations

import logging
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import insert, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from sequencer.inbound.bounces.formats import mta_of
from sequencer.inbound.bounces.mailbox_health import Rejection, check_rates, pause_mailbox, record_sender_rejection
from sequencer.inbound.bounces.taxonomy import SENDER, SOFT, classify_reply
from sequencer.mail.transports import SendError
from sequencer.models import (
    Event,
    Mailbox,
    StepRun,
    StepRunState,
)
from sequencer.outreach.enrollment import LIVE, finish, next_run_values
from sequencer.people.suppression.rules import hard_bounce
from sequencer.platform.db import rowcount

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 5
MAILBOX_FAILURES_TO_PAUSE = 3


@dataclass
class SendSettings:
    base_url: str
    secret_key: str
    outbox_dir: str
    clock: Callable[[], datetime]
    rng: random.Random = field(default_factory=random.Random)


@dataclass
class BatchResult:
    sent: int = 0
    skipped: int = 0
    retried: int = 0
    failed: int = 0
    held: int = 0
    uncertain: int = 0
    bounced: int = 0


def backoff(attempt: int, rng: random.Random) -> timedelta:
    """Exponential with full jitter: 1, 2, 4, 8 ... minutes, capped at an hour."""
    return timedelta(seconds=rng.uniform(0.5, 1.0) * min(3600, 60 * 2 ** max(0, attempt - 1)))


def release(run: StepRun, *, why: str | None, due: datetime | None = None, state=StepRunState.SCHEDULED) -> None:
    run.state, run.claimed_by, run.lease_until, run.why_waiting = state, None, None, why
    if due is not None:
        run.due_at = due


def record_sent(session: Session, run: StepRun, mailbox: Mailbox, composed, reply: str, now: datetime) -> None:
    """Mark the email sent (only if this worker's claim still holds), append `sent`, schedule the next step."""
    values = {"state": StepRunState.SENT, "sent_at": now, "done_at": now, "lease_until": None, "why_waiting": None,
              "subject": composed.subject, "body_html": composed.body_html, "body_text": composed.body_text,
              "message_id": composed.message_id, "error": None}
    done = rowcount(session.execute(update(StepRun).where(
        StepRun.id == run.id, StepRun.claimed_by == run.claimed_by,
        StepRun.state.in_((StepRunState.SENDING, StepRunState.UNCERTAIN)))
        .values(**values).execution_options(synchronize_session=False)))
    if not done:
        return
    for key, value in values.items():  # the row is written: tell the loaded object, without a second UPDATE
        set_committed_value(run, key, value)
    if mailbox.consecutive_failures:
        mailbox.consecutive_failures = 0
    enrollment = run.enrollment
    # Core inserts: this is the hot path of every send, and the unit of work adds nothing here
    session.execute(insert(Event), [{
        "kind": "sent", "occurred_at": now, "prospect_id": enrollment.prospect_id, "enrollment_id": enrollment.id,
        "sequence_id": enrollment.sequence_id, "step_id": run.step_id, "step_run_id": run.id,
        "variant_id": run.variant_id, "mailbox_id": mailbox.id,
        "payload": {"message_id": composed.message_id, "smtp": reply}}])
    if enrollment.status not in LIVE:
        return
    following = next_run_values(run, now)
    if following is None:
        finish(session, enrollment, now)
    else:
        session.execute(insert(StepRun), [following])


def record_failure(session: Session, run: StepRun, mailbox: Mailbox, exc: SendError, settings: SendSettings,
                   result: BatchResult) -> None:
    """Sort a refusal: uncertain (never retried), bounce, final failure, broken mailbox, or a retry later."""
    now = settings.clock()
    run.error = str(exc)
    log.warning("step run %s: %s (%s)", run.id, exc, exc.kind)
    if exc.kind in ("bounce", "rejected"):  # the same taxonomy as bounce reports: 5.7.26 is ours, not theirs
        reason, klass, status = classify_reply(str(exc).split(": ", 1)[-1])
        if klass == SENDER:
            _sender_refused(session, run, mailbox, Rejection(reason, status, str(exc), mta_of(
                mailbox.smtp_host or "", str(exc)), run.enrollment.prospect.email), settings, result)
            return
        if exc.kind == "bounce" and klass == SOFT:  # a full mailbox at RCPT: retried like any temporary refusal
            exc = SendError("temporary", str(exc), exc.code)
    if exc.kind == "uncertain":
        run.state, run.lease_until = StepRunState.UNCERTAIN, None
        run.why_waiting = f"connection lost after the message was handed over: {exc}"
        session.add(Event(kind="send_uncertain", occurred_at=now, step_run_id=run.id,
                          enrollment_id=run.enrollment_id, payload={"error": str(exc)}))
        result.uncertain += 1
    elif exc.kind == "bounce":
        run.send_started_at = None
        release(run, why=None, state=StepRunState.FAILED)
        run.done_at = now
        hard_bounce(session, run.enrollment.prospect, now, str(exc), step_run=run,
                    reason=classify_reply(str(exc).split(": ", 1)[-1])[0])
        check_rates(session, mailbox, now)
        result.bounced += 1
    elif exc.kind == "rejected" or (exc.kind in ("temporary", "unreachable") and run.attempt >= MAX_ATTEMPTS):
        run.send_started_at = None
        release(run, why=f"failed after {run.attempt} attempt(s): {exc}", state=StepRunState.FAILED)
        session.add(Event(kind="send_failed", occurred_at=now, step_run_id=run.id, enrollment_id=run.enrollment_id,
                          prospect_id=run.enrollment.prospect_id, payload={"error": str(exc)}))
        result.failed += 1
    elif exc.kind == "mailbox":  # the mailbox is broken, not this message: wait for it, untouched
        run.send_started_at = None
        release(run, why=f"mailbox paused: {exc}")
        pause_mailbox(session, mailbox, str(exc), now, automatic=True)
        result.retried += 1
    else:  # temporary or unreachable: not sent, try again later
        run.send_started_at = None
        retry_at = now + backoff(run.attempt, settings.rng)
        release(run, why=f"retry {run.attempt}/{MAX_ATTEMPTS} after: {exc}", due=retry_at)
        result.retried += 1
        if exc.kind == "unreachable":
            mailbox.consecutive_failures += 1
            if mailbox.consecutive_failures >= MAILBOX_FAILURES_TO_PAUSE:
                pause_mailbox(session, mailbox, f"{mailbox.consecutive_failures} failed connections: {exc}", now,
                              automatic=True)


def _sender_refused(session: Session, run: StepRun, mailbox: Mailbox, rejection: Rejection, settings: SendSettings,
                    result: BatchResult) -> None:
    """Our mailbox or domain was refused: the prospect is untouched, the step waits and goes again later."""
    now = settings.clock()
    run.send_started_at = None
    release(run, why=f"sender-side rejection, sent again later: {rejection.diagnostic}"[:500],
            due=now + backoff(run.attempt, settings.rng))
    paused = record_sender_rejection(session, mailbox, rejection, now, step_run_id=run.id,
                                     enrollment_id=run.enrollment_id, sequence_id=run.enrollment.sequence_id)
    if paused:
        run.why_waiting = f"mailbox paused: {mailbox.paused_reason}"[:500]
    result.retried += 1
