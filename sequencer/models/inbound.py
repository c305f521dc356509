"""Every inbound message, stored raw before anything else touches it."""
from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Index, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from sequencer.models._common import created_at, enum_column
from sequencer.platform.db import Base


class InboundStatus(str, enum.Enum):
    RECEIVED = "received"
    PROCESSING = "processing"
    PROCESSED = "processed"
    UNPARSED = "unparsed"
    ERROR = "error"


class InboundMessage(Base):
    __tablename__ = "inbound_messages"
    __table_args__ = (Index("ix_inbound_messages_status", "status"),
                      Index("ix_inbound_messages_received_at", "received_at"))

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
    step_run_id: Mapped[int | None] = mapped_column(ForeignKey("step_runs.id", ondelete="SET NULL"))
    sentiment: Mapped[str | None] = mapped_column(String(16))
    resume_at: Mapped[datetime | None]
    detail: Mapped[dict] = mapped_column(default=dict, server_default="{}")  # why it was classified and matched so
    folder: Mapped[str | None] = mapped_column(String(255))
    error: Mapped[str | None] = mapped_column(Text)
    received_at: Mapped[datetime] = created_at()
    processed_at: Mapped[datetime | None]


class ImapFolderState(Base):
    """Where polling a mailbox folder got to: a new UIDVALIDITY means the UIDs start over."""

    __tablename__ = "imap_folder_states"
    __table_args__ = (UniqueConstraint("mailbox_id", "folder", name="uq_imap_folder_states_mailbox_folder"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    mailbox_id: Mapped[int] = mapped_column(ForeignKey("mailboxes.id", ondelete="CASCADE"))
    folder: Mapped[str] = mapped_column(String(255))
    uidvalidity: Mapped[int] = mapped_column(BigInteger)
    last_uid: Mapped[int] = mapped_column(BigInteger, default=0)
    updated_at: Mapped[datetime] = created_at()
