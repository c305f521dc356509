"""Opens and clicks, recorded as events against the step run (and so the variant) or the one-off they came from."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from sequencer.models import Event, OneOffEmail, StepRun


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


def record_one_off(session: Session, kind: str, one_off_id: int, now: datetime, **payload) -> int | None:
    """Append a `clicked` event for a one-off email; its prospect's id, or None when the row no longer exists."""
    row = session.get(OneOffEmail, one_off_id)
    if row is None:
        return None
    session.add(Event(kind=kind, occurred_at=now, prospect_id=row.prospect_id, mailbox_id=row.mailbox_id,
                      payload={"one_off_email_id": row.id, **payload}))
    return row.prospect_id
