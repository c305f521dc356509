"""Job functions: take ids or ISO times, reload rows, call a service, commit; safe to run twice."""
from __future__ import annotations

from datetime import datetime

from sequencer import clock
from sequencer.extensions import db
from workers.context import app_context


def dispatch(now_iso: str | None = None) -> dict:
    """One dispatch pass; several running at once are harmless (every change is a conditional update)."""
    from sequencer.dispatch import run_pass

    with app_context():
        now = datetime.fromisoformat(now_iso) if now_iso else clock.now()
        result = run_pass(db.session, now)
        db.session.commit()
        return result
