"""The change feed's order and cursor. Ids from a sequence are not commit order on PostgreSQL, so rows are read
in (transaction id, id) order and only below the oldest transaction still running: a transaction that commits
later always has a txid at or above that horizon, so a page never skips a row that appears afterwards, nor
repeats one. SQLite has one writer at a time, so ids are commit order there (txid is 0)."""
from __future__ import annotations

import base64
from typing import Any

from sqlalchemy import BigInteger, ColumnElement, Text, and_, cast, func, or_, select
from sqlalchemy.orm import Session

from sequencer.errors import Invalid
from sequencer.models import WebhookEvent
from sequencer.webhooks.catalogue import clean_patterns, matches

Position = tuple[int, int]
MAX_LIMIT = 1000


def encode(position: Position) -> str:
    return base64.urlsafe_b64encode(f"{position[0]}.{position[1]}".encode()).decode().rstrip("=")


def decode(cursor: str | None) -> Position:
    if not cursor:
        return (0, 0)
    try:
        txid, _, rid = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode().partition(".")
        return (int(txid), int(rid))
    except (ValueError, UnicodeDecodeError):
        raise Invalid.field("after", "not a cursor this feed gave out") from None


def _settled(session: Session) -> ColumnElement[bool] | None:
    """Rows whose transaction can no longer be running anywhere (PostgreSQL); SQLite needs no filter."""
    if session.get_bind().dialect.name != "postgresql":
        return None
    horizon = cast(cast(func.pg_snapshot_xmin(func.pg_current_snapshot()), Text), BigInteger)
    return WebhookEvent.txid < horizon


def _after(position: Position) -> ColumnElement[bool]:
    return or_(WebhookEvent.txid > position[0], and_(WebhookEvent.txid == position[0], WebhookEvent.id > position[1]))


def read(session: Session, after: Position, limit: int, types: list[str] | None = None) -> list[WebhookEvent]:
    """Up to `limit` settled events after `after`, in feed order (type filtering happens after the cut)."""
    query = select(WebhookEvent).where(_after(after))
    settled = _settled(session)
    if settled is not None:
        query = query.where(settled)
    rows = list(session.scalars(query.order_by(WebhookEvent.txid, WebhookEvent.id).limit(limit)))
    return [r for r in rows if types is None or matches(types, r.type)]


def head(session: Session) -> Position:
    """The last settled position: where a new endpoint starts (it gets what happens from now on)."""
    query = select(WebhookEvent.txid, WebhookEvent.id)
    settled = _settled(session)
    if settled is not None:
        query = query.where(settled)
    row = session.execute(query.order_by(WebhookEvent.txid.desc(), WebhookEvent.id.desc()).limit(1)).first()
    return (int(row[0]), int(row[1])) if row else (0, 0)


def page(session: Session, after: str | None, types: str | None, limit: int) -> dict[str, Any]:
    """One page of the feed: `{events, next}`; `next` moves past filtered-out rows too."""
    if not 1 <= limit <= MAX_LIMIT:
        raise Invalid.field("limit", f"between 1 and {MAX_LIMIT}")
    patterns = clean_patterns([t for t in types.split(",") if t.strip()], "types") if types else None
    position = decode(after)
    query = select(WebhookEvent).where(_after(position))
    settled = _settled(session)
    if settled is not None:
        query = query.where(settled)
    rows = list(session.scalars(query.order_by(WebhookEvent.txid, WebhookEvent.id).limit(limit)))
    if rows:
        position = (rows[-1].txid, rows[-1].id)
    events = [envelope(r) for r in rows if patterns is None or matches(patterns, r.type)]
    return {"events": events, "next": encode(position)}


def envelope(row: WebhookEvent) -> dict[str, Any]:
    """The event as the feed and the webhook body show it."""
    return {"id": row.id, "type": row.type, "timestamp": row.occurred_at.isoformat().replace("+00:00", "Z"),
            "data": row.data}


