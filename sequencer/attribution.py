"""Which email a human outcome belongs to: a meeting booked counts for the last email (and variant) sent."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from sequencer.models import StepRun, StepRunState


def last_email_run(session: Session, enrollment_id: int) -> StepRun | None:
    """The enrolment's most recent sent email step run (auto or manual), or None if none went out."""
    return session.scalars(select(StepRun).where(
        StepRun.enrollment_id == enrollment_id, StepRun.state == StepRunState.SENT,
        StepRun.message_id.is_not(None)).order_by(StepRun.position.desc()).limit(1)).first()
