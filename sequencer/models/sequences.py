"""Cadences: a sequence is ordered steps; an email step carries weighted A/B variants."""
from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from sequencer.models._common import created_at, enum_column
from sequencer.models.workspace import DEFAULT_SCHEDULE
from sequencer.platform import clock
from sequencer.platform.db import Base


class SequenceStatus(str, enum.Enum):
    DRAFT = "draft"
    ACTIVE = "active"
    PAUSED = "paused"
    ARCHIVED = "archived"


class StepType(str, enum.Enum):
    AUTO_EMAIL = "auto_email"
    MANUAL_EMAIL = "manual_email"
    CALL = "call"
    LINKEDIN_VIEW = "linkedin_view"
    LINKEDIN_CONNECT = "linkedin_connect"
    LINKEDIN_MESSAGE = "linkedin_message"
    TASK = "task"

    @property
    def is_email(self) -> bool:
        return self in (StepType.AUTO_EMAIL, StepType.MANUAL_EMAIL)


class Sequence(Base):
    __tablename__ = "sequences"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[SequenceStatus] = enum_column(SequenceStatus, default=SequenceStatus.DRAFT)
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    schedule: Mapped[dict] = mapped_column(default=lambda: dict(DEFAULT_SCHEDULE))
    exit_on_reply: Mapped[bool] = mapped_column(default=True)
    track_opens: Mapped[bool] = mapped_column(default=False)
    track_clicks: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = created_at()
    updated_at: Mapped[datetime] = mapped_column(default=clock.now, onupdate=clock.now)

    steps: Mapped[list[Step]] = relationship(
        back_populates="sequence", order_by="Step.position", cascade="all, delete-orphan"
    )


class Step(Base):
    __tablename__ = "steps"

    id: Mapped[int] = mapped_column(primary_key=True)
    sequence_id: Mapped[int] = mapped_column(ForeignKey("sequences.id", ondelete="CASCADE"), index=True)
    position: Mapped[int]
    type: Mapped[StepType] = enum_column(StepType)
    wait_days: Mapped[int] = mapped_column(default=0)
    instructions: Mapped[str] = mapped_column(Text, default="")
    thread: Mapped[bool] = mapped_column(default=False)
    # experiment settings (issue 7): what "best" means, how much evidence, who skips the step
    primary_metric: Mapped[str] = mapped_column(String(16), default="reply", server_default="reply")
    min_sample: Mapped[int] = mapped_column(default=100, server_default="100")
    auto_promote: Mapped[bool] = mapped_column(default=False, server_default=false())
    stratify_by_persona: Mapped[bool] = mapped_column(default=False, server_default=false())
    holdout_pct: Mapped[int] = mapped_column(default=0, server_default="0")
    created_at: Mapped[datetime] = created_at()

    sequence: Mapped[Sequence] = relationship(back_populates="steps")
    variants: Mapped[list[Variant]] = relationship(
        back_populates="step", order_by="Variant.label", cascade="all, delete-orphan"
    )


class Variant(Base):
    __tablename__ = "variants"

    id: Mapped[int] = mapped_column(primary_key=True)
    step_id: Mapped[int] = mapped_column(ForeignKey("steps.id", ondelete="CASCADE"), index=True)
    label: Mapped[str] = mapped_column(String(32))
    weight: Mapped[int] = mapped_column(default=50)
    subject: Mapped[str] = mapped_column(Text, default="")
    body: Mapped[str] = mapped_column(Text, default="")
    by_persona: Mapped[dict] = mapped_column(default=dict)
    active: Mapped[bool] = mapped_column(default=True)
    promoted_at: Mapped[datetime | None]  # set when declared or auto-promoted the winner of its step
    created_at: Mapped[datetime] = created_at()

    step: Mapped[Step] = relationship(back_populates="variants")


class ExperimentDecision(Base):
    """Why a step's winner was chosen, with the numbers seen at that moment (kept even if settings change)."""

    __tablename__ = "experiment_decisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    step_id: Mapped[int] = mapped_column(ForeignKey("steps.id", ondelete="CASCADE"), index=True)
    variant_id: Mapped[int | None] = mapped_column(ForeignKey("variants.id", ondelete="SET NULL"))
    kind: Mapped[str] = mapped_column(String(16))  # declared | auto
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    metric: Mapped[str] = mapped_column(String(16))
    numbers: Mapped[dict] = mapped_column(default=dict)
    decided_at: Mapped[datetime] = mapped_column(default=clock.now)
