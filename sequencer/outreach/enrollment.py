"""Enrolment rules and the enrolment state machine; the only place step runs come to exist."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session, object_session

from sequencer.calendar import Due, Schedule, next_due
from sequencer.errors import Conflict, Invalid
from sequencer.models import (
    Enrollment,
    EnrollmentStatus,
    Event,
    Sequence,
    Step,
    StepRun,
    StepRunState,
    Task,
    TaskStatus,
)
from sequencer.platform.db import rowcount
from sequencer.sequences.experiments import choose
from sequencer.texts import tr

LIVE = (EnrollmentStatus.ACTIVE, EnrollmentStatus.PAUSED)
WAITING_STATES = (StepRunState.SCHEDULED, StepRunState.HELD)


def schedule_of(sequence: Sequence) -> Schedule:
    return Schedule.from_dict(sequence.schedule)


def due_for(step: Step, after: datetime, schedule: Schedule, timezone: str | None, country: str | None) -> Due:
    return next_due(after, step.wait_days, schedule, timezone, country)


def waiting_reason(step: Step, due: Due, previous_position: int | None) -> str | None:
    if due.why_waiting:
        return due.why_waiting
    if step.wait_days and previous_position:
        days = "day" if step.wait_days == 1 else "days"
        return f"waiting {step.wait_days} business {days} after step {previous_position}"
    return None


def _record(session: Session, enrollment: Enrollment, kind: str, now: datetime, inbound_message_id: int | None = None,
            **payload) -> None:
    session.add(Event(kind=kind, occurred_at=now, prospect_id=enrollment.prospect_id, enrollment_id=enrollment.id,
                      sequence_id=enrollment.sequence_id, inbound_message_id=inbound_message_id, payload=payload))


def _require(enrollment: Enrollment, *allowed: EnrollmentStatus) -> None:
    if enrollment.status not in allowed:
        raise Conflict(tr("the enrolment is %(status)s", status=enrollment.status.value))


def pause(session: Session, enrollment: Enrollment, now: datetime, until: datetime | None = None,
          reason: str = "manual", inbound_message_id: int | None = None) -> Enrollment:
    _require(enrollment, *LIVE)
    if until is not None and until <= now:
        raise Invalid(tr("until: must be in the future"),
                       [{"field": "until", "message": tr("must be in the future")}])
    enrollment.status, enrollment.paused_until = EnrollmentStatus.PAUSED, until
    if until is not None:
        _hold_until(session, enrollment, until)
    _record(session, enrollment, "paused", now, inbound_message_id, reason=reason,
            until=until.isoformat() if until else None)
    session.flush()
    return enrollment


def _hold_until(session: Session, enrollment: Enrollment, until: datetime) -> None:
    """Nothing of a paused enrolment falls due before it resumes: open tasks and waiting steps due earlier move
    to the first open moment of the sequence's calendar from `until` (their order kept)."""
    prospect = enrollment.prospect
    back = next_due(until, 0, schedule_of(enrollment.sequence), prospect.timezone, prospect.country).at
    why = f"enrolment paused until {until:%a %d %b}"
    for run in enrollment.step_runs:
        if run.state in (*WAITING_STATES, StepRunState.TASK_OPEN) and run.due_at < back:
            run.due_at = back
            if run.state in WAITING_STATES:
                run.why_waiting = why
    for task in session.scalars(select(Task).where(Task.enrollment_id == enrollment.id,
                                                   Task.status == TaskStatus.OPEN, Task.due_at < back)):
        task.due_at = back


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
        raise Conflict(tr("the enrolment is no longer paused"))
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
    open_tasks = select(Task).where(Task.enrollment_id == enrollment.id, Task.status == TaskStatus.OPEN)
    for task in session.scalars(open_tasks):  # through the unit of work, so each closed task is seen (webhooks)
        task.status, task.outcome, task.completed_at = TaskStatus.SKIPPED, "enrollment_exited", now
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
            "state": StepRunState.SCHEDULED, "due_at": due.at, "why_waiting": waiting_reason(step, due, run.position),
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
