"""The append-only record of every outcome; reports are aggregates over it."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from sequencer.platform import clock
from sequencer.platform.db import Base


class Event(Base):
    __tablename__ = "events"
    __table_args__ = (
        Index("ix_events_step_variant_kind", "step_id", "variant_id", "kind"),
        Index("ix_events_prospect_time", "prospect_id", "occurred_at"),
        Index("ix_events_sequence_kind", "sequence_id", "kind"),
        # reports: the per-step/variant counts read (step_run_id) from the index alone; time series by week
        Index("ix_events_step_kind_run", "step_id", "kind", "variant_id", "step_run_id"),
        Index("ix_events_sequence_kind_time", "sequence_id", "kind", "occurred_at"),
        Index("ix_events_mailbox_kind_time", "mailbox_id", "kind", "occurred_at"),
        Index("ix_events_kind_time_prospect", "kind", "occurred_at", "prospect_id"),  # goals: touches, first touches
        Index("ix_events_run_kind", "step_run_id", "kind"),  # the Outbox: each sent email's engagement
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    occurred_at: Mapped[datetime] = mapped_column(default=clock.now)
    prospect_id: Mapped[int | None] = mapped_column(ForeignKey("prospects.id", ondelete="CASCADE"))
    enrollment_id: Mapped[int | None] = mapped_column(ForeignKey("enrollments.id", ondelete="SET NULL"))
    sequence_id: Mapped[int | None] = mapped_column(ForeignKey("sequences.id", ondelete="SET NULL"))
    step_id: Mapped[int | None] = mapped_column(ForeignKey("steps.id", ondelete="SET NULL"))
    step_run_id: Mapped[int | None] = mapped_column(ForeignKey("step_runs.id", ondelete="SET NULL"))
    variant_id: Mapped[int | None] = mapped_column(ForeignKey("variants.id", ondelete="SET NULL"))
    mailbox_id: Mapped[int | None] = mapped_column(ForeignKey("mailboxes.id", ondelete="SET NULL"))
    task_id: Mapped[int | None] = mapped_column(ForeignKey("tasks.id", ondelete="SET NULL"))
    opportunity_id: Mapped[int | None] = mapped_column(ForeignKey("opportunities.id", ondelete="SET NULL"),
                                                       index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    inbound_message_id: Mapped[int | None] = mapped_column(
        ForeignKey("inbound_messages.id", ondelete="SET NULL"), index=True)
    payload: Mapped[dict] = mapped_column(default=dict)
