"""The one hook: every flush that changes something in the catalogue writes its outbox rows in the same
transaction (no event without its change, no change without its event); a commit then wakes the deliverer."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import delete, event, insert
from sqlalchemy.orm import ORMExecuteState, Session

from sequencer.models import Event, WebhookEvent
from sequencer.platform.db import table_of
from sequencer.webhooks.changes import Change, changes_in, from_core_insert, stamp

WROTE = "webhooks.wrote"
EVENTS = table_of(Event)
_kick: list[Callable[[], None]] = []


def _write(session: Session, changes: list[Change], erased: list[int]) -> None:
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


def _after_flush(session: Session, _flush_context: Any) -> None:
    changes, erased = changes_in(session)
    _write(session, changes, erased)


def _on_execute(state: ORMExecuteState) -> None:
    """`session.execute(insert(Event), rows)` skips the unit of work: read its rows here, before it runs."""
    if not state.is_insert or getattr(getattr(state.statement, "table", None), "name", None) != EVENTS.name:
        return
    params = state.parameters
    rows = params if isinstance(params, list) else [params] if isinstance(params, dict) else []
    changes = from_core_insert([dict(r) for r in rows])
    if changes:
        _write(state.session, changes, [])


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
        event.listen(Session, "do_orm_execute", _on_execute)
    if kick is not None:
        _kick[:] = [kick]
