"""Webhooks: endpoints, the outbox of catalogue events (also the change feed), deliveries and their attempts."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Index, String, Text, false, text
from sqlalchemy.orm import Mapped, mapped_column

from sequencer.models._common import created_at
from sequencer.platform.db import Base


class WebhookEndpoint(Base):
    __tablename__ = "webhook_endpoints"

    id: Mapped[int] = mapped_column(primary_key=True)
    url: Mapped[str] = mapped_column(String(2000))
    description: Mapped[str] = mapped_column(String(500), default="")
    events: Mapped[list] = mapped_column(default=list)  # type patterns: "deal.*", "email.replied", "*"
    enabled: Mapped[bool] = mapped_column(default=True, server_default=false())
    secret: Mapped[str] = mapped_column(Text)  # encrypted at rest (SecretBox)
    previous_secret: Mapped[str | None] = mapped_column(Text)  # still signs until previous_expires_at
    previous_expires_at: Mapped[datetime | None]
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    disabled_reason: Mapped[str | None] = mapped_column(String(200))
    failing_since: Mapped[datetime | None]
    owner_told_at: Mapped[datetime | None]  # when the owner was emailed about the five-day disabling
    paused_until: Mapped[datetime | None]  # the endpoint-wide back-off after a failure
    lease_until: Mapped[datetime | None]  # one deliverer per endpoint at a time
    cursor: Mapped[int] = mapped_column(BigInteger, default=0, server_default=text("0"))  # last feed position fanned out
    created_at: Mapped[datetime] = created_at()


class WebhookEvent(Base):
    """One catalogue event, written in the transaction of its change; `position` (given once committed) orders
    the feed and the deliveries."""

    __tablename__ = "webhook_events"
    __table_args__ = (Index("ix_webhook_events_position", "position", unique=True),)

    id: Mapped[int] = mapped_column(primary_key=True)
    type: Mapped[str] = mapped_column(String(64))
    occurred_at: Mapped[datetime]
    data: Mapped[dict] = mapped_column(default=dict)
    prospect_id: Mapped[int | None] = mapped_column(index=True)  # whose data it carries (erasure purges them)
    position: Mapped[int | None] = mapped_column(BigInteger)


class WebhookDelivery(Base):
    __tablename__ = "webhook_deliveries"
    __table_args__ = (
        Index("ix_webhook_deliveries_due", "endpoint_id", "status", "next_attempt_at"),
        Index("ix_webhook_deliveries_event", "event_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    endpoint_id: Mapped[int] = mapped_column(ForeignKey("webhook_endpoints.id", ondelete="CASCADE"))
    event_id: Mapped[int] = mapped_column(ForeignKey("webhook_events.id", ondelete="CASCADE"))
    status: Mapped[str] = mapped_column(String(16), default="pending")  # pending | delivered | failed
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime]
    last_status: Mapped[int | None]
    last_error: Mapped[str | None] = mapped_column(String(500))
    delivered_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = created_at()


class WebhookAttempt(Base):
    __tablename__ = "webhook_attempts"

    id: Mapped[int] = mapped_column(primary_key=True)
    delivery_id: Mapped[int] = mapped_column(ForeignKey("webhook_deliveries.id", ondelete="CASCADE"), index=True)
    attempted_at: Mapped[datetime]
    request_headers: Mapped[dict] = mapped_column(default=dict)
    status_code: Mapped[int | None]
    response_body: Mapped[str | None] = mapped_column(Text)  # the first 2,000 characters
    latency_ms: Mapped[int] = mapped_column(default=0)
    error: Mapped[str | None] = mapped_column(String(500))
