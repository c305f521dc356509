"""Every inbound message, stored raw before anything else touches it."""
from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from sequencer.db import Base
from sequencer.models._common import created_at, enum_column


class InboundStatus(str, enum.Enum):
    RECEIVED = "received"
    PROCESSED = "processed"
    UNPARSED = "unparsed"
    ERROR = "error"


class InboundMessage(Base):
    __tablename__ = "inbound_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[str | None] = mapped_column(String(998), unique=True)
    mailbox_id: Mapped[int | None] = mapped_column(ForeignKey("mailboxes.id", ondelete="SET NULL"))
    source: Mapped[str] = mapped_column(String(16), default="api")
    raw: Mapped[bytes] = mapped_column(LargeBinary)
    size: Mapped[int]
    truncated: Mapped[bool] = mapped_column(default=False)
    status: Mapped[InboundStatus] = enum_column(InboundStatus, default=InboundStatus.RECEIVED)
    classification: Mapped[str | None] = mapped_column(String(32))
    from_address: Mapped[str | None] = mapped_column(String(320))
    subject: Mapped[str | None] = mapped_column(Text)
    prospect_id: Mapped[int | None] = mapped_column(ForeignKey("prospects.id", ondelete="SET NULL"), index=True)
    enrollment_id: Mapped[int | None] = mapped_column(ForeignKey("enrollments.id", ondelete="SET NULL"))
    error: Mapped[str | None] = mapped_column(Text)
    received_at: Mapped[datetime] = created_at()
    processed_at: Mapped[datetime | None]
