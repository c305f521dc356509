"""The one hook: every flush that changes something in the catalogue writes its outbox rows in the same
transaction (no event without its change, no change without its event); a commit then wakes the deliverer."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import delete, event, insert
from sqlalchemy.orm import Session

from sequencer.models import WebhookEvent
from sequencer.platform.db import table_of
from sequencer.webhooks.changes import changes_in, stamp

WROTE = "webhooks.wrote"
_kick: list[Callable[[], None]] = []


def _after_flush(session: Session, _flush_context: Any) -> None:
    changes, erased = changes_in(session)
    conn = session.connection()
    table = table_of(WebhookEvent)
    if erased:
        conn.execute(delete(table).where(table.c.prospect_id.in_(erased)))
    now = stamp()
    rows = [{"type": t, "occurred_at": now, "data": data, "prospect_id": pid} for t, data, pid in changes]
    rows += [{"type": "prospect.erased", "occurred_at": now, "data": {"id": pid}, "prospect_id": None}
             for pid in erased]
    if rows:
        conn.execute(insert(table), rows)
        session.info[WROTE] = True


def _after_commit(session: Session) -> None:
    if session.info.pop(WROTE, False):
        for kick in _kick:
            kick()


def _after_rollback(session: Session, _transaction: Any) -> None:
    session.info.pop(WROTE, None)


def install(kick: Callable[[], None] | None = None) -> None:
    """Register the listeners once per process; `kick` (best effort) is called after a commit that wrote events."""
    if not event.contains(Session, "after_flush", _after_flush):
        event.listen(Session, "after_flush", _after_flush)
        event.listen(Session, "after_commit", _after_commit)
        event.listen(Session, "after_soft_rollback", _after_rollback)
    if kick is not None:
        _kick[:] = [kick]
