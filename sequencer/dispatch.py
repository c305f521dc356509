"""The periodic dispatch pass. Each change is a conditional update, so concurrent passes never double up.

Today it resumes enrolments whose pause has expired; claiming due steps joins it with the
sequences and sending issues.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import update
from sqlalchemy.orm import Session

from sequencer.models import Enrollment, EnrollmentStatus, Event


def resume_expired_pauses(session: Session, now: datetime) -> list[int]:
    """Reactivate paused enrolments whose `paused_until` has passed; returns their ids."""
    rows = session.execute(
        update(Enrollment)
        .where(Enrollment.status == EnrollmentStatus.PAUSED,
               Enrollment.paused_until.is_not(None), Enrollment.paused_until <= now)
        .values(status=EnrollmentStatus.ACTIVE, paused_until=None)
        .returning(Enrollment.id, Enrollment.prospect_id, Enrollment.sequence_id)
        .execution_options(synchronize_session=False)
    ).all()
    session.add_all(
        Event(kind="resumed", occurred_at=now, enrollment_id=eid, prospect_id=pid, sequence_id=sid,
              payload={"reason": "pause expired"})
        for eid, pid, sid in rows
    )
    return [row[0] for row in rows]


def run_pass(session: Session, now: datetime) -> dict:
    return {"resumed": len(resume_expired_pauses(session, now))}
