"""The deliverer: fan new outbox events out to the endpoints that want them, then drain each due endpoint in
its own thread with its own connection and session, so a slow receiver only ever holds up itself. One
deliverer per endpoint at a time (a lease row-claim in the database); a second run finds nothing to do."""
from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import Engine, exists, insert, or_, select, update
from sqlalchemy.orm import Session

from sequencer.models import WebhookDelivery, WebhookEndpoint
from sequencer.platform import clock
from sequencer.platform.db import table_of
from sequencer.webhooks.catalogue import matches
from sequencer.webhooks.drain import Drainer, DrainSettings
from sequencer.webhooks.feed import read, settle

FAN_OUT_BATCH = 5000
MAX_THREADS = 16


@dataclass
class PumpResult:
    fanned_out: int = 0
    endpoints: int = 0
    delivered: int = 0
    failed_attempts: int = 0
    disabled: list[int] = field(default_factory=list)
    more: bool = False

    def summary(self) -> dict:
        return vars(self)


def fan_out(session: Session, now: datetime) -> tuple[int, bool]:
    """Delivery rows for the events each enabled endpoint has not seen; (rows made, more waiting)."""
    made, more = 0, False
    settle(session)
    session.commit()
    endpoints = list(session.scalars(select(WebhookEndpoint).where(WebhookEndpoint.enabled.is_(True))))
    table = table_of(WebhookDelivery)
    for endpoint in endpoints:
        rows = read(session, endpoint.cursor, FAN_OUT_BATCH)
        if not rows:
            continue
        more = more or len(rows) == FAN_OUT_BATCH
        wanted = [{"endpoint_id": endpoint.id, "event_id": r.id, "status": "pending", "attempts": 0,
                   "next_attempt_at": now, "created_at": now} for r in rows if matches(endpoint.events, r.type)]
        if wanted:
            session.execute(insert(table), wanted)
        endpoint.cursor = rows[-1].position or endpoint.cursor
        made += len(wanted)
    session.commit()
    return made, more


def _due(session: Session, now: datetime) -> list[int]:
    pending = exists().where(WebhookDelivery.endpoint_id == WebhookEndpoint.id, WebhookDelivery.status == "pending",
                             WebhookDelivery.next_attempt_at <= now)
    return list(session.scalars(select(WebhookEndpoint.id).where(
        WebhookEndpoint.enabled.is_(True),
        or_(WebhookEndpoint.paused_until.is_(None), WebhookEndpoint.paused_until <= now),
        or_(WebhookEndpoint.lease_until.is_(None), WebhookEndpoint.lease_until < now), pending)
        .order_by(WebhookEndpoint.id).limit(MAX_THREADS)))


def claim(session: Session, endpoint_id: int, now: datetime, lease: timedelta) -> bool:
    """Take the endpoint's lease atomically; False when another deliverer holds it."""
    result = session.execute(update(WebhookEndpoint).where(
        WebhookEndpoint.id == endpoint_id,
        or_(WebhookEndpoint.lease_until.is_(None), WebhookEndpoint.lease_until < now))
        .values(lease_until=now + lease).execution_options(synchronize_session=False))
    session.commit()
    return bool(getattr(result, "rowcount", 0))


_running: set[threading.Thread] = set()  # drainers still working in this process (a slow receiver's may outlive a pass)


def pump(engine: Engine, settings: DrainSettings) -> PumpResult:
    """One pass: fan out, start a drainer per due endpoint, wait at most `settings.wait` for them. A drainer still
    busy after that (a slow receiver) carries on in its thread holding its endpoint's lease, so the worker is
    free again for other jobs and the next pass serves every other endpoint."""
    result = PumpResult()
    for t in list(_running):
        if not t.is_alive():
            _running.discard(t)
    with Session(engine) as session:
        now = clock.now()
        result.fanned_out, result.more = fan_out(session, now)
        lease = settings.budget + timedelta(seconds=settings.timeout + 30)
        room = max(0, MAX_THREADS - len(_running))
        claimed = [eid for eid in _due(session, now)[:room] if claim(session, eid, now, lease)]
    drainers = [Drainer(engine, eid, settings) for eid in claimed]
    threads = [threading.Thread(target=d.run, name=f"webhook-{d.endpoint_id}", daemon=True) for d in drainers]
    for t in threads:
        _running.add(t)
        t.start()
    deadline = time.monotonic() + settings.wait.total_seconds()
    for t in threads:
        t.join(timeout=max(0.0, deadline - time.monotonic()))
    result.endpoints = len(drainers)
    for d, t in zip(drainers, threads, strict=True):
        if t.is_alive():
            continue
        result.delivered += d.delivered
        result.failed_attempts += d.failed
        result.more = result.more or d.more
        if d.disabled:
            result.disabled.append(d.endpoint_id)
    return result
