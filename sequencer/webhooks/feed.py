"""The change feed's order and cursor. Ids from a sequence are not commit order on PostgreSQL (a transaction
holding a lower id may commit after one holding a higher id), so an event gets its feed `position` only once it
is committed: `settle` numbers the committed, unnumbered rows after the highest position, one settler at a time
(an advisory lock held to its commit). A row committed later is numbered later, so a reader following positions
never skips a row that appears afterwards, nor repeats one; writers never wait on each other for it."""
from __future__ import annotations

from typing import Any

from sqlalchemy import func, select, text, update
from sqlalchemy.orm import Session

from sequencer.errors import Invalid
from sequencer.models import WebhookEvent
from sequencer.texts import tr
from sequencer.webhooks.catalogue import clean_patterns, matches

MAX_LIMIT = 1000
SETTLE_BATCH = 20000
LOCK_KEY = 0x5E0_4E85  # the settler's advisory lock


def settle(session: Session, batch: int = SETTLE_BATCH) -> int:
    """Give positions to committed events that have none, in id order; the caller commits (releasing the lock)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": LOCK_KEY})
    ids = list(session.scalars(select(WebhookEvent.id).where(WebhookEvent.position.is_(None))
                               .order_by(WebhookEvent.id).limit(batch)))
    if not ids:
        return 0
    base = session.scalar(select(func.coalesce(func.max(WebhookEvent.position), 0))) or 0
    params = [{"row_id": row_id, "pos": base + n} for n, row_id in enumerate(ids, 1)]
    session.connection().execute(update(WebhookEvent.__table__).where(  # type: ignore[arg-type]
        WebhookEvent.__table__.c.id == text(":row_id")).values(position=text(":pos")), params)
    return len(ids)


def encode(position: int) -> str:
    return str(position)


def decode(cursor: str | None) -> int:
    if not cursor:
        return 0
    if not (cursor.isascii() and cursor.isdigit()) or len(cursor) > 18:  # a position is a BIGINT
        raise Invalid.field("after", tr("not a cursor this feed gave out"))
    return int(cursor)


def read(session: Session, after: int, limit: int) -> list[WebhookEvent]:
    """Up to `limit` settled events after position `after`, in feed order."""
    return list(session.scalars(select(WebhookEvent).where(WebhookEvent.position > after)
                                .order_by(WebhookEvent.position).limit(limit)))


def head(session: Session) -> int:
    """The last settled position: where a new endpoint starts (it gets what happens from now on)."""
    return int(session.scalar(select(func.coalesce(func.max(WebhookEvent.position), 0))) or 0)


def page(session: Session, after: str | None, types: str | None, limit: int) -> dict[str, Any]:
    """One page of the feed: `{events, next}`; `next` moves past filtered-out rows too."""
    if not 1 <= limit <= MAX_LIMIT:
        raise Invalid.field("limit", tr("between 1 and %(limit)s", limit=MAX_LIMIT))
    patterns = clean_patterns([t for t in types.split(",") if t.strip()], "types") if types else None
    position = decode(after)
    rows = read(session, position, limit)
    if rows:
        position = rows[-1].position or position
    events = [envelope(r) for r in rows if patterns is None or matches(patterns, r.type)]
    return {"events": events, "next": encode(position)}


def envelope(row: WebhookEvent) -> dict[str, Any]:
    """The event as the feed and the webhook body show it."""
    return {"id": row.id, "type": row.type, "timestamp": row.occurred_at.isoformat().replace("+00:00", "Z"),
            "data": row.data}
