"""Sequencer's own events (opens, clicks, replies, meetings, connected calls) become activities too.

One hook for every place that records such an event: a flush listener sees each new `Event` row and adds
its activity in the same transaction; once that commits, `on_commit` (the app passes "enqueue the
`score_pending` job") gets it scored within seconds, and the periodic `score_pending` catches anything missed.
"""
from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session

from sequencer.models import Activity, Event
from sequencer.platform import clock

KINDS = {"opened": "email_opened", "clicked": "email_clicked", "replied": "email_replied",
         "meeting_booked": "meeting_booked"}
CONNECTED_CALL = {"connected", "meeting_booked"}
PENDING = "scoring_pending"
_hooks: dict[str, Callable[[], None] | None] = {"on_commit": None}
log = logging.getLogger(__name__)


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
                session.info[PENDING] = True


def _after_commit(session: Session) -> None:
    callback = _hooks["on_commit"]
    if session.info.pop(PENDING, False) and callback is not None:
        try:
            callback()
        except Exception:  # noqa: BLE001 - the periodic job scores it later; the commit already happened
            log.exception("could not ask for scoring now; the periodic score_pending job will")


def _after_rollback(session: Session, _previous: Any) -> None:
    session.info.pop(PENDING, None)


def install(on_commit: Callable[[], None] | None = None) -> None:
    """Listen on every Session (idempotent); the app factory calls it with how to get pending activities scored."""
    _hooks["on_commit"] = on_commit
    for name, fn in (("before_flush", _before_flush), ("after_commit", _after_commit),
                     ("after_soft_rollback", _after_rollback)):
        if not event.contains(Session, name, fn):
            event.listen(Session, name, fn)
