"""Which email a reply or a meeting counts for, so the A/B comparison credits the copy that earned it.

Rules (tested in tests/outreach/test_attribution.py):
- a reply counts for the latest email step of its thread that the prospect received
  (`sequencer.inbound.match.latest_thread_email`, used by the inbound pipeline);
- a meeting booked from a call (or any task) counts for the last email the prospect received in that
  enrolment, whatever the thread: `attribute_meeting`. No email received yet → no step run, and the
  meeting is still recorded for the sequence, just outside every variant.
"""
from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from sequencer.models import Enrollment, Event, Step, StepRun, StepRunState, StepType

EMAIL_TYPES = (StepType.AUTO_EMAIL, StepType.MANUAL_EMAIL)


def latest_email(runs: Iterable[StepRun], now: datetime) -> StepRun | None:
    """The last sent email among loaded step runs (in memory; the demo builds enrolments this way)."""
    sent = [r for r in runs if r.state == StepRunState.SENT and r.step.type in EMAIL_TYPES
            and r.sent_at is not None and r.sent_at <= now]
    return max(sent, key=lambda r: (r.sent_at, r.position), default=None)


def attribute_meeting(session: Session, enrollment: Enrollment, now: datetime) -> StepRun | None:
    """The email step run a meeting booked at `now` counts for: the latest one sent to the prospect."""
    return session.scalars(
        select(StepRun).join(Step, Step.id == StepRun.step_id)
        .where(StepRun.enrollment_id == enrollment.id, StepRun.state == StepRunState.SENT,
               Step.type.in_(EMAIL_TYPES), StepRun.sent_at <= now)
        .order_by(StepRun.sent_at.desc(), StepRun.position.desc()).limit(1)).first()


def record_meeting(session: Session, enrollment: Enrollment, now: datetime, *, user_id: int | None = None,
                   task_id: int | None = None, **payload) -> Event:
    """Append the `meeting_booked` event, credited to the attributed email run and its variant."""
    run = attribute_meeting(session, enrollment, now)
    event = Event(kind="meeting_booked", occurred_at=now, prospect_id=enrollment.prospect_id,
                  enrollment_id=enrollment.id, sequence_id=enrollment.sequence_id, user_id=user_id, task_id=task_id,
                  step_id=run.step_id if run else None, step_run_id=run.id if run else None,
                  variant_id=run.variant_id if run else None, payload=payload)
    session.add(event)
    session.flush()
    return event
