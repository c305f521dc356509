"""Send one claimed batch, a chunk at a time: each message re-checked, rendered, sent once, and recorded.

The order of commits is the duplicate-send guarantee: a chunk's `send_started_at` is committed before SMTP,
its `sent` marks right after the chunk. A crash in between leaves the row to become `uncertain` — shown to an admin,
never retried by itself.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from jinja2 import TemplateError
from sqlalchemy import select, text, update
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.orm.attributes import set_committed_value

from sequencer.accounts.workspace import get_workspace
from sequencer.calendar import Schedule, is_open, next_due
from sequencer.deliverability import dkim
from sequencer.deliverability.tracking_domain import tracking_base
from sequencer.errors import Conflict
from sequencer.mail.answers import (
    BatchResult,
    SendSettings,
    record_failure,
    release,
)
from sequencer.mail.compose import Composed, compose
from sequencer.mail.connections import lease_transport
from sequencer.mail.mime import build_message
from sequencer.mail.recording import Sent, record_sent_many
from sequencer.mail.transports import MailTransport, SendError
from sequencer.models import (
    Enrollment,
    EnrollmentStatus,
    Mailbox,
    Prospect,
    Sequence,
    Step,
    StepRun,
    StepRunState,
    StepType,
    Task,
    Workspace,
)
from sequencer.outreach.holds import hold, hold_unrenderable
from sequencer.outreach.suppression_lists import not_contactable, suppressed_among
from sequencer.platform import shutdown

log = logging.getLogger(__name__)
SAFETY_MARGIN = timedelta(seconds=10)


def _recheck(session: Session, run: StepRun, now: datetime, suppressed: set[str]) -> str | None:
    """Why this run must not be sent now (it is released accordingly), or None to go ahead."""
    enrollment = run.enrollment
    if enrollment.status == EnrollmentStatus.PAUSED:
        release(run, why="enrolment paused")
        return "paused"
    if enrollment.status != EnrollmentStatus.ACTIVE:
        release(run, why=f"enrolment {enrollment.status.value}", state=StepRunState.SKIPPED)
        run.done_at = now
        return "ended"
    prospect = enrollment.prospect
    stop = not_contactable(prospect, suppressed)
    if stop:
        release(run, why=f"prospect {stop}", state=StepRunState.SKIPPED)
        run.done_at = now
        return "not contactable"
    schedule = Schedule.from_dict(enrollment.sequence.schedule)
    # a manual email goes when the rep sends it; automatic ones only inside the window
    if run.step.type != StepType.MANUAL_EMAIL and not is_open(now, schedule, prospect.timezone, prospect.country):  # e.g. throttled past the window's end
        due = next_due(now, 0, schedule, prospect.timezone, prospect.country)
        release(run, why=due.why_waiting, due=due.at)
        return "window closed"
    return None


# everything composing and recording a message touches, loaded once per batch instead of per message
_BATCH_LOADS = (
    selectinload(StepRun.enrollment).selectinload(Enrollment.prospect).selectinload(Prospect.company),
    selectinload(StepRun.enrollment).selectinload(Enrollment.prospect).selectinload(Prospect.persona),
    selectinload(StepRun.enrollment).selectinload(Enrollment.sequence).selectinload(Sequence.steps)
    .selectinload(Step.variants),
    selectinload(StepRun.enrollment).selectinload(Enrollment.mailbox).selectinload(Mailbox.owner),
    selectinload(StepRun.step), selectinload(StepRun.variant),
)


def _load(session: Session, ids: list[int], token: str) -> list[StepRun]:
    # send_started_at set means an earlier run of this job may have handed it to SMTP: never again
    return list(session.scalars(select(StepRun).where(StepRun.id.in_(ids), StepRun.claimed_by == token,
                                                      StepRun.state == StepRunState.SENDING,
                                                      StepRun.send_started_at.is_(None))
                                .order_by(StepRun.id)
                                .options(*_BATCH_LOADS)
                                .execution_options(populate_existing=True)))


def _manual_edits(session: Session, runs: list[StepRun]) -> dict[int, tuple[str, str]]:
    """run id -> (subject, body) the rep wrote for manual emails; automatic batches skip the query."""
    ids = [r.id for r in runs if r.step.type == StepType.MANUAL_EMAIL]
    if not ids:
        return {}
    rows = session.execute(select(Task.step_run_id, Task.email_subject, Task.email_body).where(
        Task.step_run_id.in_(ids), Task.email_body.is_not(None)))
    return {run_id: (subject or "", body) for run_id, subject, body in rows  # both not null, as queried
            if run_id is not None and body is not None}


_Ready = tuple[StepRun, Composed, datetime]  # composed and about to be marked started


@dataclass
class _BatchContext:
    """What every message of one batch shares: loaded once, before the first send."""
    token: str
    postal: str
    edits: dict[int, tuple[str, str]]
    suppressed: set[str]
    link_domains: list[str]  # where a manual email's links may be click-tracked
    workspace: Workspace


CHUNK = 20  # emails whose send_started_at is committed together, and whose sent marks are committed together


def send_batch(session: Session, mailbox_id: int, run_ids: list[int], token: str, settings: SendSettings,
               chunk: int = CHUNK) -> BatchResult:
    """Send the runs this claim (token) still owns, over the mailbox's pooled connection; safe to run twice.

    A chunk at a time: rechecked and composed, its send_started_at committed in one statement (durable before
    SMTP), handed to SMTP, then its sent marks recorded and committed together. A crash anywhere in between
    leaves the started ones to become `uncertain` — never sent again by themselves.
    """
    result = BatchResult()
    mailbox = session.get(Mailbox, mailbox_id)
    runs = _load(session, run_ids, token)
    if mailbox is None or not runs:
        return result
    workspace = get_workspace(session)
    settings = replace(settings, base_url=tracking_base(session, mailbox, workspace, settings.base_url))
    batch = _BatchContext(token=token, postal=workspace.postal_address, edits=_manual_edits(session, runs),
                          suppressed=suppressed_among(session, [r.enrollment.prospect.email_normalized for r in runs]),
                          link_domains=list(workspace.tracked_link_domains or []), workspace=workspace)
    with lease_transport(mailbox, settings.secret_key, settings.outbox_dir) as transport:
        for first in range(0, len(runs), chunk):
            if shutdown.requested():  # the worker is stopping: give back what was not started, then return
                _release(session, runs[first:], why="worker stopped before sending, queued again")
                break
            ready = [s for s in (_start(session, run, batch, settings, result) for run in runs[first:first + chunk])
                     if s is not None]
            marked = _mark_started(session, ready, token)
            result.skipped += len(ready) - len(marked)  # another claim owns them now
            ready = marked
            stopped = _send_chunk(session, transport, mailbox, ready, settings, result)
            if stopped is not None:
                _release_rest(session, runs[first + chunk:], *stopped)
                break

    return result


def _send_chunk(session: Session, transport: MailTransport, mailbox: Mailbox, ready: list[_Ready],
                settings: SendSettings, result: BatchResult) -> tuple[StepRun, str] | None:
    """SMTP for each started run, then every accepted one recorded and committed at once.

    Returns the run whose failure stops the batch (a broken mailbox or an unreachable server) with the
    failure's kind, else None.
    """
    sent: list[Sent] = []
    stopped: tuple[StepRun, str] | None = None
    for index, (run, composed, now) in enumerate(ready):
        if shutdown.requested():  # never handed over: safe to give back, with the start mark cleared
            _unstart(session, [r for r, _, _ in ready[index:]], why="worker stopped before sending, queued again")
            break
        try:
            data = dkim.sign(build_message(composed, now), mailbox, settings.secret_key)
            reply = transport.send(composed.from_email, composed.to_email, data, composed.message_id)
        except SendError as exc:
            record_failure(session, run, mailbox, exc, settings, result)
            if exc.kind in ("mailbox", "unreachable"):  # the rest of the batch would fail the same way
                rest = [r for r, _, _ in ready[index + 1:]]
                _unstart(session, rest, why=run.why_waiting, due=run.due_at if exc.kind == "unreachable" else None)
                stopped = run, exc.kind
                break
            continue
        sent.append(Sent(run, composed, reply, settings.clock()))
    _no_wait_commit(session)  # the durable send_started_at already guards against a resend
    record_sent_many(session, mailbox, sent)
    session.commit()
    result.sent += len(sent)
    return stopped


def _start(session: Session, run: StepRun, batch: _BatchContext, settings: SendSettings,
           result: BatchResult) -> _Ready | None:
    """Everything before SMTP but the start mark: lease, recheck, compose (or hold); committed with the mark.

    Returns (run, message, now) to send, or None when the run is skipped or held (counted in `result`).
    """
    now = settings.clock()
    if run.lease_until is None or run.lease_until - SAFETY_MARGIN < now:
        result.skipped += 1  # too close to expiry: leave it for the next claim
        return None
    if _recheck(session, run, now, batch.suppressed):
        result.skipped += 1
        return None
    try:
        composed = compose(session, run, base_url=settings.base_url, secret=settings.secret_key,
                           postal_address=batch.postal, edited=batch.edits.get(run.id),
                           link_domains=batch.link_domains, workspace=batch.workspace)
    except (TemplateError, Conflict) as exc:  # this one email only: held with the reason, the batch goes on
        log.warning("step run %s cannot be rendered: %s", run.id, type(exc).__name__)
        hold_unrenderable(session, run, str(exc), now)
        run.claimed_by = run.lease_until = None
        result.held += 1
        return None
    if composed.missing:
        hold(session, run, composed.missing, now)
        run.claimed_by = run.lease_until = None
        result.held += 1
        return None
    return run, composed, now


def _mark_started(session: Session, ready: list[_Ready], token: str) -> list[_Ready]:
    """Commit send_started_at for the chunk in one statement (only rows this claim still owns), with whatever the
    rechecks changed: no later run of the job can send them again. Returns the runs that were marked."""
    if ready:
        now = ready[0][2]
        won = set(session.scalars(update(StepRun).where(
            StepRun.id.in_([run.id for run, _, _ in ready]), StepRun.claimed_by == token,
            StepRun.state == StepRunState.SENDING, StepRun.send_started_at.is_(None))
            .values(send_started_at=now).returning(StepRun.id).execution_options(synchronize_session=False)))
        ready = [r for r in ready if r[0].id in won]
        for run, _, _ in ready:  # keep the loaded objects in step with the rows, so later changes reach the DB
            set_committed_value(run, "send_started_at", now)
    session.commit()
    return ready


def _unstart(session: Session, runs: list[StepRun], why: str | None, due: datetime | None = None) -> None:
    """Runs marked started but never handed to SMTP (this process knows it): back to scheduled, mark cleared."""
    for run in runs:
        run.send_started_at = None
        release(run, why=why, due=due)


def _release_rest(session: Session, rest: list[StepRun], failed: StepRun, kind: str) -> None:
    """After a mailbox-wide failure, give the batch's untouched runs back, waiting like the failed one."""
    for run in rest:
        release(run, why=failed.why_waiting, due=failed.due_at if kind == "unreachable" else None)
    session.commit()


def _release(session: Session, rest: list[StepRun], why: str) -> None:
    for run in rest:
        release(run, why=why)
    session.commit()


def _no_wait_commit(session: Session) -> None:
    """Let this transaction's commit skip the WAL flush wait (PostgreSQL only).

    Safe for recording a send: if the server crashed and lost it, the row would still carry its durable
    send_started_at and become `uncertain` — never sent twice.
    """
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SET LOCAL synchronous_commit TO OFF"))
