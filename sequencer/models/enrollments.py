"""A prospect's journey through a sequence, and one row per scheduled touch (the source of truth)."""
from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from sequencer.models._common import created_at, enum_column
from sequencer.models.crm import Prospect
from sequencer.models.mail import Mailbox
from sequencer.models.sequences import Sequence, Step, Variant
from sequencer.platform.db import Base


class EnrollmentStatus(str, enum.Enum):
    ACTIVE = "active"
    PAUSED = "paused"
    FINISHED = "finished"
    EXITED = "exited"


class Enrollment(Base):
    __tablename__ = "enrollments"
    __table_args__ = (Index("ix_enrollments_prospect_status", "prospect_id", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    prospect_id: Mapped[int] = mapped_column(ForeignKey("prospects.id", ondelete="CASCADE"))
    sequence_id: Mapped[int] = mapped_column(ForeignKey("sequences.id", ondelete="CASCADE"), index=True)
    mailbox_id: Mapped[int | None] = mapped_column(ForeignKey("mailboxes.id", ondelete="SET NULL"))
    enrolled_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    pool_id: Mapped[int | None] = mapped_column(ForeignKey("mailbox_pools.id", ondelete="SET NULL"))  # mailbox: picked
    status: Mapped[EnrollmentStatus] = enum_column(EnrollmentStatus, default=EnrollmentStatus.ACTIVE)
    exit_reason: Mapped[str | None] = mapped_column(String(64))
    paused_until: Mapped[datetime | None]
    created_at: Mapped[datetime] = created_at()
    ended_at: Mapped[datetime | None]

    prospect: Mapped[Prospect] = relationship()
    sequence: Mapped[Sequence] = relationship()
    mailbox: Mapped[Mailbox | None] = relationship()
    step_runs: Mapped[list[StepRun]] = relationship(
        back_populates="enrollment", order_by="StepRun.position", cascade="all, delete-orphan"
    )


class StepRunState(str, enum.Enum):
    SCHEDULED = "scheduled"
    SENDING = "sending"
    SENT = "sent"
    TASK_OPEN = "task_open"
    DONE = "done"
    SKIPPED = "skipped"
    FAILED = "failed"
    UNCERTAIN = "uncertain"
    HELD = "held"


class StepRun(Base):
    """One touch for one enrolment; claimed with a lease before any side effect."""

    __tablename__ = "step_runs"
    __table_args__ = (
        UniqueConstraint("enrollment_id", "position", name="uq_step_runs_enrollment_position"),
        Index("ix_step_runs_state_due", "state", "due_at"),
        Index("ix_step_runs_state_lease", "state", "lease_until"),
        Index("ix_step_runs_mailbox_sent", "mailbox_id", "sent_at"),
        Index("ix_step_runs_sent", "sent_at"),  # the Outbox, newest first: walks the index and stops at a page
        Index("ix_step_runs_step_variant", "step_id", "variant_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    enrollment_id: Mapped[int] = mapped_column(ForeignKey("enrollments.id", ondelete="CASCADE"))
    step_id: Mapped[int] = mapped_column(ForeignKey("steps.id", ondelete="CASCADE"), index=True)
    position: Mapped[int]
    variant_id: Mapped[int | None] = mapped_column(ForeignKey("variants.id", ondelete="SET NULL"))
    holdout: Mapped[bool] = mapped_column(default=False, server_default=false())  # skips its step, for comparison
    mailbox_id: Mapped[int | None] = mapped_column(ForeignKey("mailboxes.id", ondelete="SET NULL"))
    state: Mapped[StepRunState] = enum_column(StepRunState, default=StepRunState.SCHEDULED)
    due_at: Mapped[datetime]
    why_waiting: Mapped[str | None] = mapped_column(Text)
    claimed_by: Mapped[str | None] = mapped_column(String(64))
    lease_until: Mapped[datetime | None]
    send_started_at: Mapped[datetime | None]  # set and committed just before SMTP: a crash after it is "uncertain"
    attempt: Mapped[int] = mapped_column(default=0)
    subject: Mapped[str | None] = mapped_column(Text)
    body_html: Mapped[str | None] = mapped_column(Text)
    body_text: Mapped[str | None] = mapped_column(Text)
    message_id: Mapped[str | None] = mapped_column(String(255), unique=True)
    error: Mapped[str | None] = mapped_column(Text)
    sent_at: Mapped[datetime | None]
    done_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = created_at()

    enrollment: Mapped[Enrollment] = relationship(back_populates="step_runs")
    step: Mapped[Step] = relationship()
    variant: Mapped[Variant | None] = relationship()
