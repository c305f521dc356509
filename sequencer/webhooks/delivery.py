"""One delivery attempt and what its answer means: the Standard Webhooks headers and signatures, the retry
schedule (immediately, 5 s, 5 min, 30 min, 2 h, 5 h, then 10 h until about three days), Retry-After, 410 turning
the endpoint off, unhealthy answers pausing the whole endpoint, five days of failing disabling it."""
from __future__ import annotations

import json
from datetime import datetime, timedelta
from email.utils import parsedate_to_datetime

from standardwebhooks.webhooks import Webhook

from sequencer.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint, WebhookEvent
from sequencer.webhooks.feed import envelope
from sequencer.webhooks.transport import Answer

BACKOFF = (timedelta(seconds=5), timedelta(minutes=5), timedelta(minutes=30), timedelta(hours=2),
           timedelta(hours=5)) + (timedelta(hours=10),) * 6  # the first attempt is immediate; ~2.8 days in all
DISABLE_AFTER = timedelta(days=5)
MAX_RETRY_AFTER = timedelta(hours=24)
UNHEALTHY = {408, 429, 500, 502, 503, 504}
DISABLED_FOR_FAILING = "failing for five days"


def webhook_id(event_id: int) -> str:
    return f"evt_{event_id}"


def body_of(event: WebhookEvent) -> bytes:
    full = envelope(event)
    return json.dumps({"type": full["type"], "timestamp": full["timestamp"], "data": full["data"]},
                      separators=(",", ":"), ensure_ascii=False).encode()


def signed_headers(event_id: int, body: bytes, signers: list[Webhook], now: datetime) -> dict[str, str]:
    """webhook-id, webhook-timestamp and one `v1,` signature per live secret (space-separated)."""
    msg_id = webhook_id(event_id)
    signatures = " ".join(s.sign(msg_id, now, body) for s in signers)
    return {"webhook-id": msg_id, "webhook-timestamp": str(int(now.timestamp())), "webhook-signature": signatures}


def _retry_after(answer: Answer, now: datetime) -> timedelta | None:
    raw = answer.headers.get("retry-after")
    if not raw:
        return None
    try:
        wait = timedelta(seconds=int(raw)) if raw.strip().isdigit() else parsedate_to_datetime(raw) - now
    except (TypeError, ValueError):
        return None
    return max(timedelta(0), min(wait, MAX_RETRY_AFTER))


def record(endpoint: WebhookEndpoint, delivery: WebhookDelivery, answer: Answer, headers: dict[str, str],
           now: datetime) -> WebhookAttempt:
    """Log the attempt and apply its meaning to the delivery and the endpoint; returns the attempt row."""
    delivery.attempts += 1
    delivery.last_status, delivery.last_error = answer.status, answer.error
    attempt = WebhookAttempt(delivery_id=delivery.id, attempted_at=now, status_code=answer.status,
                             request_headers={k: v for k, v in headers.items() if k != "webhook-signature"},
                             response_body=answer.body, latency_ms=answer.latency_ms, error=answer.error)
    if answer.status is not None and 200 <= answer.status < 300:
        delivery.status, delivery.delivered_at = "delivered", now
        endpoint.failing_since, endpoint.paused_until = None, None
        return attempt
    endpoint.failing_since = endpoint.failing_since or now
    if answer.status == 410:
        endpoint.enabled, endpoint.disabled_reason = False, "the receiver answered 410 Gone"
        return attempt
    if delivery.attempts > len(BACKOFF):
        delivery.status = "failed"
    else:
        wait = BACKOFF[delivery.attempts - 1]
        delivery.next_attempt_at = now + max(wait, _retry_after(answer, now) or wait)
        if answer.status is None or answer.status in UNHEALTHY:
            endpoint.paused_until = delivery.next_attempt_at  # back off the whole endpoint, not just this event
    if now - endpoint.failing_since >= DISABLE_AFTER:
        endpoint.enabled, endpoint.disabled_reason = False, DISABLED_FOR_FAILING
    return attempt
