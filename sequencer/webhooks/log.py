"""The delivery log an endpoint page and the API list (filtered by status, type, time), and replay: one
delivery, or every delivery of a time range, goes back to pending and is sent again at once."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Select, select, update
from sqlalchemy.orm import Session

from sequencer.errors import Invalid, NotFound
from sequencer.models import User, WebhookAttempt, WebhookDelivery, WebhookEvent
from sequencer.texts import tr
from sequencer.webhooks.endpoints import get

STATUSES = ("pending", "delivered", "failed")


def deliveries_query(session: Session, user: User, endpoint_id: int, status: str | None = None,
                     event_type: str | None = None, since: datetime | None = None,
                     until: datetime | None = None) -> Select:
    get(session, user, endpoint_id)
    if status and status not in STATUSES:
        raise Invalid.field("status", tr("one of %(values)s", values=", ".join(STATUSES)))
    query = select(WebhookDelivery, WebhookEvent).join(WebhookEvent, WebhookEvent.id == WebhookDelivery.event_id)\
        .where(WebhookDelivery.endpoint_id == endpoint_id)
    if status:
        query = query.where(WebhookDelivery.status == status)
    if event_type:
        query = query.where(WebhookEvent.type == event_type)
    if since:
        query = query.where(WebhookDelivery.created_at >= since)
    if until:
        query = query.where(WebhookDelivery.created_at < until)
    return query.order_by(WebhookDelivery.id.desc())


def attempts_of(session: Session, delivery_ids: list[int]) -> dict[int, list[WebhookAttempt]]:
    out: dict[int, list[WebhookAttempt]] = {i: [] for i in delivery_ids}
    if delivery_ids:
        for a in session.scalars(select(WebhookAttempt).where(WebhookAttempt.delivery_id.in_(delivery_ids))
                                 .order_by(WebhookAttempt.id)):
            out[a.delivery_id].append(a)
    return out


def as_dict(delivery: WebhookDelivery, event: WebhookEvent, attempts: list[WebhookAttempt]) -> dict[str, Any]:
    return {"id": delivery.id, "event_id": event.id, "type": event.type, "status": delivery.status,
            "attempts": [{"at": a.attempted_at, "status_code": a.status_code, "latency_ms": a.latency_ms,
                          "response_body": a.response_body, "error": a.error, "request_headers": a.request_headers}
                         for a in attempts],
            "next_attempt_at": delivery.next_attempt_at if delivery.status == "pending" else None,
            "delivered_at": delivery.delivered_at, "created_at": delivery.created_at}


def replay(session: Session, user: User, endpoint_id: int, delivery_id: int, now: datetime) -> WebhookDelivery:
    get(session, user, endpoint_id)
    delivery = session.get(WebhookDelivery, delivery_id)
    if delivery is None or delivery.endpoint_id != endpoint_id:
        raise NotFound(tr("no such delivery for this webhook"))
    delivery.status, delivery.next_attempt_at, delivery.attempts = "pending", now, 0
    session.flush()
    return delivery


def replay_range(session: Session, user: User, endpoint_id: int, since: datetime, until: datetime,
                 now: datetime) -> int:
    """Every delivery made in [since, until) goes out again; how many."""
    get(session, user, endpoint_id)
    if until <= since:
        raise Invalid.field("until", tr("must be after the start of the range"))
    result = session.execute(update(WebhookDelivery).where(
        WebhookDelivery.endpoint_id == endpoint_id, WebhookDelivery.created_at >= since,
        WebhookDelivery.created_at < until).values(status="pending", next_attempt_at=now, attempts=0)
        .execution_options(synchronize_session=False))
    session.flush()
    return int(getattr(result, "rowcount", 0))
