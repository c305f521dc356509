"""Sequencer's own events (opens, clicks, replies, meetings, connected calls) become activities too.

One hook for every place that records such an event: a flush listener sees each new `Event` row and adds
its activity in the same transaction; the `score_pending` job scores it (engine.score via `pending`).
"""
from __future__ import annotations

from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session

from sequencer.models import Activity, Event
from sequencer.platform import clock

KINDS = {"opened": "email_opened", "clicked": "email_clicked", "replied": "email_replied",
         "meeting_booked": "meeting_booked"}
CONNECTED_CALL = {"connected", "meeting_booked"}


def activity_kind(ev: Event) -> str | None:
    """The activity an event is, if it is one (a completed call task counts when someone picked up)."""
    if ev.kind in KINDS:
        return KINDS[ev.kind]
    payload = ev.payload or {}
    if ev.kind == "task_completed" and payload.get("type") == "call" and payload.get("outcome") in CONNECTED_CALL:
        return "call_connected"
    return None


def _before_flush(session: Session, _context: Any, _instances: Any) -> None:
    for obj in list(session.new):
        if isinstance(obj, Event) and obj.prospect_id is not None:
            kind = activity_kind(obj)
            if kind is not None:
                props = {k: v for k, v in (obj.payload or {}).items() if k in ("url", "subject")}
                session.add(Activity(prospect_id=obj.prospect_id, kind=kind, occurred_at=obj.occurred_at or clock.now(),
                                     source="sequencer", properties=props, created_at=clock.now()))


def install() -> None:
    """Listen on every Session (idempotent); the app factory and the job context call it."""
    if not event.contains(Session, "before_flush", _before_flush):
        event.listen(Session, "before_flush", _before_flush)
