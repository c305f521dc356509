"""Opens and clicks, recorded as events against the step run (and so the variant) they came from."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from sequencer.models import Event, StepRun


def record(session: Session, kind: str, run_id: int, now: datetime, **payload) -> bool:
    """Append an `opened`/`clicked` event; False when the step run no longer exists."""
    run = session.get(StepRun, run_id)
    if run is None:
        return False
    enrollment = run.enrollment
    session.add(Event(kind=kind, occurred_at=now, prospect_id=enrollment.prospect_id, enrollment_id=enrollment.id,
                      sequence_id=enrollment.sequence_id, step_id=run.step_id, step_run_id=run.id,
                      variant_id=run.variant_id, mailbox_id=run.mailbox_id, payload=payload))
    return True
