"""Drain one endpoint: its due deliveries oldest event first over one kept-alive connection, each attempt
logged; stops at the time budget, when the endpoint turns unhealthy (it backs off as a whole) or is disabled."""
from __future__ import annotations

import logging
import time
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import Engine, select, update
from sqlalchemy.orm import Session
from standardwebhooks.webhooks import Webhook

from sequencer.models import WebhookDelivery, WebhookEndpoint, WebhookEvent
from sequencer.platform import clock
from sequencer.platform.security import SecretBox
from sequencer.webhooks.delivery import DISABLED_FOR_FAILING, body_of, record, signed_headers
from sequencer.webhooks.endpoints import signing_secrets
from sequencer.webhooks.guard import AllowList, Refused, resolve
from sequencer.webhooks.transport import TIMEOUT_SECONDS, Answer, Connection

BATCH = 200
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class DrainSettings:
    box: SecretBox
    allow: AllowList
    budget: timedelta = timedelta(seconds=10)  # how long one drainer keeps going before handing back
    timeout: float = TIMEOUT_SECONDS
    wait: timedelta = timedelta(seconds=2)  # how long a pass waits for its drainers before the worker moves on


class Drainer:
    def __init__(self, engine: Engine, endpoint_id: int, settings: DrainSettings):
        self.engine, self.endpoint_id, self.settings = engine, endpoint_id, settings
        self.delivered = self.failed = 0
        self.more = self.disabled = False

    def run(self) -> None:
        """Drain, then free the endpoint's lease whatever happened (an error is logged, the lease still freed)."""
        with Session(self.engine, expire_on_commit=False) as session:
            try:
                endpoint = session.get(WebhookEndpoint, self.endpoint_id)
                if endpoint is not None:
                    self._drain(session, endpoint)
            except Exception:  # noqa: BLE001  (a thread has no caller to raise to)
                log.exception("webhook delivery to endpoint %s failed", self.endpoint_id)
            finally:
                session.rollback()
                session.execute(update(WebhookEndpoint).where(WebhookEndpoint.id == self.endpoint_id)
                                .values(lease_until=None).execution_options(synchronize_session=False))
                session.commit()

    def _batch(self, session: Session) -> list[tuple[WebhookDelivery, WebhookEvent]]:
        rows = session.execute(select(WebhookDelivery, WebhookEvent).join(
            WebhookEvent, WebhookEvent.id == WebhookDelivery.event_id).where(
            WebhookDelivery.endpoint_id == self.endpoint_id, WebhookDelivery.status == "pending",
            WebhookDelivery.next_attempt_at <= clock.now()).order_by(WebhookDelivery.event_id).limit(BATCH))
        return [(d, e) for d, e in rows]

    def _drain(self, session: Session, endpoint: WebhookEndpoint) -> None:
        stop_at = time.monotonic() + self.settings.budget.total_seconds()
        signers = [Webhook(s) for s in signing_secrets(endpoint, self.settings.box, clock.now())]
        connection: Connection | None = None
        refusal: str | None = None
        try:
            connection = Connection(resolve(endpoint.url, self.settings.allow), self.settings.timeout)
        except Refused as exc:
            refusal = str(exc)
        try:
            self.more = self._loop(session, endpoint, connection, signers, refusal, stop_at)
        finally:
            if connection:
                connection.close()

    def _paused(self, endpoint: WebhookEndpoint) -> bool:
        return endpoint.paused_until is not None and endpoint.paused_until > clock.now()

    def _loop(self, session: Session, endpoint: WebhookEndpoint, connection: Connection | None,
              signers: list[Webhook], refusal: str | None, stop_at: float) -> bool:
        """Deliver batches until done (False) or out of time with work left (True)."""
        while time.monotonic() < stop_at:
            batch = self._batch(session)
            if not batch:
                return False
            for delivery, event in batch:
                now = clock.now()
                body = body_of(event)
                headers = signed_headers(event.id, body, signers, now)
                answer = connection.post(body, headers) if connection else Answer(None, "", {}, 0, refusal)
                session.add(record(endpoint, delivery, answer, headers, now))
                if delivery.status == "delivered":
                    self.delivered += 1
                else:
                    self.failed += 1
                if not endpoint.enabled or self._paused(endpoint) or time.monotonic() >= stop_at:
                    break
            session.commit()
            if not endpoint.enabled:
                self.disabled = endpoint.disabled_reason == DISABLED_FOR_FAILING
                return False
            if self._paused(endpoint):
                return False
        return True


def settings_from(config: Mapping[str, Any]) -> DrainSettings:
    """Drain settings from the app's configuration (passed in: the package doesn't reach for Flask)."""
    return DrainSettings(box=SecretBox(config["SECRET_KEY"]),
                         allow=AllowList.parse(config.get("WEBHOOK_ALLOWED_PRIVATE")),
                         budget=timedelta(seconds=config.get("WEBHOOK_BUDGET_SECONDS") or 10))
