"""One-off emails: a rep writes to one prospect from their own mailbox, outside any sequence.

Its own row (not a step run, which needs an enrolment and a step): committed with `send_started_at`
before SMTP, so a crash in between leaves it `uncertain`, never sent twice.
"""
from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from sequencer.models._common import created_at, enum_column
from sequencer.models.crm import Prospect
from sequencer.models.mail import Mailbox
from sequencer.models.users import User
from sequencer.platform.db import Base


class OneOffState(str, enum.Enum):
    QUEUED = "queued"        # saved, its send job enqueued
    SENDING = "sending"      # send_started_at committed: SMTP may have it
    SENT = "sent"
    FAILED = "failed"        # refused or not sendable; the reason is in `error`
    UNCERTAIN = "uncertain"  # the worker stopped after handing it to SMTP: never sent again by itself


class OneOffEmail(Base):
    __tablename__ = "one_off_emails"
    __table_args__ = (
        Index("ix_one_off_emails_prospect_created", "prospect_id", "created_at"),
        Index("ix_one_off_emails_state_started", "state", "send_started_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    prospect_id: Mapped[int] = mapped_column(ForeignKey("prospects.id", ondelete="CASCADE"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    mailbox_id: Mapped[int | None] = mapped_column(ForeignKey("mailboxes.id", ondelete="SET NULL"), index=True)
    subject: Mapped[str] = mapped_column(Text)
    body: Mapped[str] = mapped_column(Text)  # what the rep wrote (a template: `{{ prospect.first_name }}` works)
    state: Mapped[OneOffState] = enum_column(OneOffState, default=OneOffState.QUEUED)
    send_started_at: Mapped[datetime | None]
    sent_at: Mapped[datetime | None]
    # what went out, exactly: rendered subject and bodies, and the Message-ID replies are matched on
    sent_subject: Mapped[str | None] = mapped_column(Text)
    body_html: Mapped[str | None] = mapped_column(Text)
    body_text: Mapped[str | None] = mapped_column(Text)
    message_id: Mapped[str | None] = mapped_column(String(255), unique=True)
    error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = created_at()

    prospect: Mapped[Prospect] = relationship()
    user: Mapped[User | None] = relationship()
    mailbox: Mapped[Mailbox | None] = relationship()
