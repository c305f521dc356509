"""Held-out step runs: when one falls due it is skipped (event `held_out`) and the enrolment moves on.

Which runs are held out is decided with the variant, when the run is created (`sequences.experiments.is_holdout`);
carrying them past their step is outreach's job, so this lives next to `enrollment.step_done` and not in sequences.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from sequencer.models import Enrollment, EnrollmentStatus, Event, StepRun, StepRunState
from sequencer.outreach.enrollment import step_done


def skip_holdouts(session: Session, now: datetime) -> int:
    """Due holdout runs become `skipped` (event `held_out`) and the enrolment moves on, as if the step was done."""
    runs = session.scalars(select(StepRun).join(Enrollment, Enrollment.id == StepRun.enrollment_id).where(
        StepRun.holdout.is_(True), StepRun.state == StepRunState.SCHEDULED, StepRun.due_at <= now,
        Enrollment.status == EnrollmentStatus.ACTIVE).order_by(StepRun.id).limit(1000).with_for_update(
        skip_locked=True)).all()
    for run in runs:
        enrollment = run.enrollment
        session.add(Event(kind="held_out", occurred_at=now, prospect_id=enrollment.prospect_id,
                          enrollment_id=enrollment.id, sequence_id=enrollment.sequence_id, step_id=run.step_id,
                          step_run_id=run.id, payload={}))
        step_done(session, run, now, state=StepRunState.SKIPPED)
    return len(runs)
