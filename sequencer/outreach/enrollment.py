"""Enrolment rules and the enrolment state machine; the only place step runs come to exist."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session, object_session

from sequencer.accounts.permissions import require_send_from
from sequencer.accounts.workspace import get_workspace
from sequencer.calendar import Due, Schedule, next_due
from sequencer.errors import Conflict, Invalid
from sequencer.models import (
    Enrollment,
    EnrollmentStatus,
    Event,
    Mailbox,
    Prospect,
    ProspectStatus,
    Sequence,
    SequenceStatus,
    Step,
    StepRun,
    StepRunState,
    Task,
    TaskStatus,
    User,
)
from sequencer.models.mail import MailboxStatus
from sequencer.people.suppression.lists import chunks, suppressed_among
from sequencer.platform.db import rowcount
from sequencer.sequences.experiments import Assigner, choose

LIVE = (EnrollmentStatus.ACTIVE, EnrollmentStatus.PAUSED)
WAITING_STATES = (StepRunState.SCHEDULED, StepRunState.HELD)


@dataclass
class EnrollResult:
    enrolled: list[tuple[int, int]] = field(default_factory=list)  # (enrollment id, prospect id)
    skipped: list[tuple[int, str]] = field(default_factory=list)   # (prospect id, reason)


def schedule_of(sequence: Sequence) -> Schedule:
    return Schedule.from_dict(sequence.schedule)


def due_for(step: Step, after: datetime, schedule: Schedule, timezone: str | None, country: str | None) -> Due:
    return next_due(after, step.wait_days, schedule, timezone, country)


def _why(step: Step, due: Due, previous_position: int | None) -> str | None:
    if due.why_waiting:
        return due.why_waiting
    if step.wait_days and previous_position:
        days = "day" if step.wait_days == 1 else "days"
        return f"waiting {step.wait_days} business {days} after step {previous_position}"
    return None


def _default_mailboxes(session: Session, owner_ids: set[int], actor: User) -> dict[int | None, int]:
    """owner id -> their first active mailbox; None -> the actor's (the fallback)."""
    rows = session.execute(select(Mailbox.owner_id, Mailbox.id).where(
        Mailbox.owner_id.in_(owner_ids | {actor.id}), Mailbox.status == MailboxStatus.ACTIVE)
        .order_by(Mailbox.id)).all()
    found: dict[int | None, int] = {}
    for owner_id, mailbox_id in rows:
        found.setdefault(owner_id, mailbox_id)
    if actor.id in found:
        found[None] = found[actor.id]
    return found


def enroll(session: Session, sequence: Sequence, prospect_ids: list[int], *, actor: User, now: datetime,
           mailbox_id: int | None = None, start_at: datetime | None = None) -> EnrollResult:
    """Enrol many prospects at once, reporting every skip with its reason; bulk queries and inserts.

    Every door (API, enrol page, import, forms) comes here, so the mailbox rule holds everywhere: a chosen
    mailbox must exist, be active (not paused) and, for a rep, be their own.
    """
    result = EnrollResult()
    ordered = list(dict.fromkeys(prospect_ids))
    if sequence.status != SequenceStatus.ACTIVE:
        result.skipped = [(pid, "sequence_not_active") for pid in ordered]
        return result
    if not sequence.steps:
        raise Conflict("the sequence has no steps")
    if mailbox_id is not None:
        check_sending_mailbox(session, mailbox_id, actor)
    found = _Candidates.load(session, ordered, sequence, now)
    mailboxes = {} if mailbox_id else _default_mailboxes(
        session, {p.owner_id for p in found.prospects.values() if p.owner_id}, actor)
    accepted: list[tuple] = []
    for pid in ordered:
        p = found.prospects.get(pid)
        box = mailbox_id or mailboxes.get(p.owner_id) or mailboxes.get(None) if p is not None else None
        reason = found.skip_reason(pid, sequence.id) or (None if box else "no_mailbox")
        if reason:
            result.skipped.append((pid, reason))
        else:
            accepted.append((p, box))
    if accepted:
        _insert(session, sequence, accepted, actor, now, start_at, result)
    return result


def check_sending_mailbox(session: Session, mailbox_id: int, actor: User) -> Mailbox:
    """A mailbox enrolments may send from: it exists, it is not paused, and a rep's is their own."""
    mailbox = session.get(Mailbox, mailbox_id)
    if mailbox is None:
        raise Invalid.field("mailbox_id", "no such mailbox")
    require_send_from(actor, mailbox)
    if mailbox.status != MailboxStatus.ACTIVE:
        why = f" ({mailbox.paused_reason})" if mailbox.paused_reason else ""
        raise Invalid.field("mailbox_id", f"{mailbox.email} is paused{why}; resume it or choose another")
    return mailbox


@dataclass
class _Candidates:
    """What decides whether each prospect may be enrolled, read in a few chunked queries."""

    prospects: dict[int, Any]
    live: dict[int, set[int]]
    recent_here: set[int]
    suppressed: set[str]
    allow_multiple: bool

    @classmethod
    def load(cls, session: Session, ordered: list[int], sequence: Sequence, now: datetime) -> _Candidates:
        ws = get_workspace(session)
        cooldown_since = now - timedelta(days=ws.reenroll_cooldown_days)
        prospects: dict[int, Any] = {}
        live: dict[int, set[int]] = {}
        recent_here: set[int] = set()
        for part in chunks(ordered):
            for row in session.execute(select(Prospect.id, Prospect.email_normalized, Prospect.status,
                                              Prospect.timezone, Prospect.country, Prospect.owner_id,
                                              Prospect.persona_id).where(Prospect.id.in_(part))):
                prospects[row.id] = row
            for pid, sid, status, ended in session.execute(
                    select(Enrollment.prospect_id, Enrollment.sequence_id, Enrollment.status, Enrollment.ended_at)
                    .where(Enrollment.prospect_id.in_(part))):
                if status in LIVE:
                    live.setdefault(pid, set()).add(sid)
                elif sid == sequence.id and ended is not None and ended >= cooldown_since:
                    recent_here.add(pid)
        suppressed = suppressed_among(session, [p.email_normalized for p in prospects.values()])
        return cls(prospects, live, recent_here, set(suppressed), ws.allow_multiple_enrollments)

    def skip_reason(self, pid: int, sequence_id: int) -> str | None:
        p = self.prospects.get(pid)
        if p is None:
            return "not_found"
        if p.status != ProspectStatus.ACTIVE:
            return p.status.value
        if p.email_normalized in self.suppressed:
            return "suppressed"
        if sequence_id in self.live.get(pid, ()):
            return "already_enrolled"
        if self.live.get(pid) and not self.allow_multiple:
            return "active_in_other_sequence"
        if pid in self.recent_here:
            return "cooldown"
        return None


def _insert(session: Session, sequence: Sequence, accepted: list[tuple], actor: User, now: datetime,
            start_at: datetime | None, result: EnrollResult) -> None:
    """The enrolments, their first step runs (variant and holdout assigned once) and `enrolled` events."""
    rows = session.execute(insert(Enrollment).returning(Enrollment.id, sort_by_parameter_order=True), [
        {"prospect_id": p.id, "sequence_id": sequence.id, "mailbox_id": box, "enrolled_by_id": actor.id,
         "status": EnrollmentStatus.ACTIVE, "created_at": now} for p, box in accepted]).scalars().all()
    first = sequence.steps[0]
    schedule = schedule_of(sequence)
    start = max(start_at or now, now)
    dues: dict[tuple, Due] = {}
    runs, events = [], []
    assigner = Assigner(session, first)
    for enrollment_id, (p, box) in zip(rows, accepted, strict=True):
        key = (p.timezone, p.country)
        if key not in dues:
            dues[key] = due_for(first, start, schedule, p.timezone, p.country)
        due = dues[key]
        variant, holdout = assigner.pick(enrollment_id, p.persona_id)
        runs.append({"enrollment_id": enrollment_id, "step_id": first.id, "position": 1,
                     "variant_id": variant.id if variant else None, "holdout": holdout, "mailbox_id": box,
                     "state": StepRunState.SCHEDULED, "due_at": due.at, "why_waiting": _why(first, due, None),
                     "attempt": 0, "created_at": now})
        events.append({"kind": "enrolled", "occurred_at": now, "prospect_id": p.id,
                       "enrollment_id": enrollment_id, "sequence_id": sequence.id, "user_id": actor.id,
                       "payload": {}})
        result.enrolled.append((enrollment_id, p.id))
    session.execute(insert(StepRun), runs)
    session.execute(insert(Event), events)


def _record(session: Session, enrollment: Enrollment, kind: str, now: datetime, inbound_message_id: int | None = None,
            **payload) -> None:
    session.add(Event(kind=kind, occurred_at=now, prospect_id=enrollment.prospect_id, enrollment_id=enrollment.id,
                      sequence_id=enrollment.sequence_id, inbound_message_id=inbound_message_id, payload=payload))


def _require(enrollment: Enrollment, *allowed: EnrollmentStatus) -> None:
    if enrollment.status not in allowed:
        raise Conflict(f"the enrolment is {enrollment.status.value}")


def pause(session: Session, enrollment: Enrollment, now: datetime, until: datetime | None = None,
          reason: str = "manual", inbound_message_id: int | None = None) -> Enrollment:
    _require(enrollment, *LIVE)
    if until is not None and until <= now:
        raise Invalid("until: must be in the future",
                       [{"field": "until", "message": "must be in the future"}])
    enrollment.status, enrollment.paused_until = EnrollmentStatus.PAUSED, until
    _record(session, enrollment, "paused", now, inbound_message_id, reason=reason,
            until=until.isoformat() if until else None)
    session.flush()
    return enrollment


def resume(session: Session, enrollment: Enrollment, now: datetime, reason: str = "manual") -> Enrollment:
    """Back to active; a step that fell due while paused goes at the next open moment, not in a burst.

    The status change is a conditional update, so two dispatchers resuming the same row can't both win.
    """
    _require(enrollment, EnrollmentStatus.PAUSED)
    won = rowcount(session.execute(update(Enrollment).where(Enrollment.id == enrollment.id,
                                                            Enrollment.status == EnrollmentStatus.PAUSED)
                                   .values(status=EnrollmentStatus.ACTIVE, paused_until=None)
                                   .execution_options(synchronize_session="fetch")))
    if not won:
        raise Conflict("the enrolment is no longer paused")
    _reschedule_overdue(session, enrollment, now)
    _record(session, enrollment, "resumed", now, reason=reason)
    session.flush()
    return enrollment


def _reschedule_overdue(session: Session, enrollment: Enrollment, now: datetime) -> None:
    schedule = schedule_of(enrollment.sequence)
    prospect = enrollment.prospect
    for run in enrollment.step_runs:
        if run.state == StepRunState.SCHEDULED and run.due_at < now:
            due = next_due(now, 0, schedule, prospect.timezone, prospect.country)
            run.due_at, run.why_waiting = due.at, due.why_waiting


def exit_enrollment(session: Session, enrollment: Enrollment, now: datetime, reason: str,
                    inbound_message_id: int | None = None) -> Enrollment:
    """Stop for good: waiting steps are skipped and open sequence tasks closed."""
    _require(enrollment, *LIVE)
    enrollment.status, enrollment.exit_reason = EnrollmentStatus.EXITED, reason
    enrollment.paused_until, enrollment.ended_at = None, now
    session.execute(update(StepRun).where(StepRun.enrollment_id == enrollment.id,
                                          StepRun.state.in_((*WAITING_STATES, StepRunState.TASK_OPEN)))
                    .values(state=StepRunState.SKIPPED, done_at=now, why_waiting=None,
                            error=f"enrolment exited: {reason}").execution_options(synchronize_session="fetch"))
    session.execute(update(Task).where(Task.enrollment_id == enrollment.id, Task.status == TaskStatus.OPEN)
                    .values(status=TaskStatus.SKIPPED, outcome="enrollment_exited", completed_at=now)
                    .execution_options(synchronize_session="fetch"))
    _record(session, enrollment, "exited", now, inbound_message_id, reason=reason)
    session.flush()
    return enrollment


def next_run_values(run: StepRun, now: datetime) -> dict | None:
    """The row for the step after `run` (calendar, variant, waiting reason), or None after the last step."""
    enrollment = run.enrollment
    following = [s for s in enrollment.sequence.steps if s.position == run.position + 1]
    if not following:
        return None
    step, prospect = following[0], enrollment.prospect
    due = due_for(step, now, schedule_of(enrollment.sequence), prospect.timezone, prospect.country)
    session = object_session(run)
    assert session is not None  # the run was loaded (or added) through a session
    variant, holdout = choose(session, enrollment, step)
    return {"enrollment_id": enrollment.id, "step_id": step.id, "position": step.position,
            "variant_id": variant.id if variant else None, "holdout": holdout, "mailbox_id": enrollment.mailbox_id,
            "state": StepRunState.SCHEDULED, "due_at": due.at, "why_waiting": _why(step, due, run.position),
            "attempt": 0, "created_at": now}


def finish(session: Session, enrollment: Enrollment, now: datetime) -> None:
    enrollment.status, enrollment.ended_at = EnrollmentStatus.FINISHED, now
    _record(session, enrollment, "finished", now)
    session.flush()


def step_done(session: Session, run: StepRun, now: datetime, state: StepRunState = StepRunState.DONE) -> StepRun | None:
    """Mark a touch done and create the next one (or finish the enrolment); returns the next step run."""
    run.state, run.done_at, run.why_waiting = state, now, None
    enrollment = run.enrollment
    if enrollment.status not in LIVE:
        return None
    values = next_run_values(run, now)
    if values is None:
        finish(session, enrollment, now)
        return None
    nxt = StepRun(enrollment=enrollment, **{k: v for k, v in values.items() if k != "enrollment_id"})
    session.add(nxt)
    session.flush()
    return nxt
