"""The B2B pipeline: deals by stage, with the history of every move."""
from __future__ import annotations

import enum
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import ForeignKey, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from sequencer.models._common import created_at, enum_column
from sequencer.models.crm import Company, Prospect
from sequencer.models.users import User
from sequencer.platform import clock
from sequencer.platform.db import Base


class Stage(str, enum.Enum):
    PROSPECTING = "prospecting"
    QUALIFICATION = "qualification"
    NEEDS_ANALYSIS = "needs_analysis"
    PROPOSAL = "proposal"
    NEGOTIATION = "negotiation"
    CLOSED_WON = "closed_won"
    CLOSED_LOST = "closed_lost"

    @property
    def is_closed(self) -> bool:
        return self in (Stage.CLOSED_WON, Stage.CLOSED_LOST)


class Opportunity(Base):
    __tablename__ = "opportunities"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    company_id: Mapped[int | None] = mapped_column(ForeignKey("companies.id", ondelete="SET NULL"))
    prospect_id: Mapped[int | None] = mapped_column(ForeignKey("prospects.id", ondelete="SET NULL"))
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    stage: Mapped[Stage] = enum_column(Stage, default=Stage.PROSPECTING)
    amount: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))
    currency: Mapped[str] = mapped_column(String(3), default="EUR")
    close_date: Mapped[date | None]
    bant: Mapped[dict] = mapped_column(default=dict)
    lost_reason: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = created_at()
    updated_at: Mapped[datetime] = mapped_column(default=clock.now, onupdate=clock.now)
    closed_at: Mapped[datetime | None]

    company: Mapped[Company | None] = relationship()
    prospect: Mapped[Prospect | None] = relationship()
    owner: Mapped[User | None] = relationship()
    history: Mapped[list[StageChange]] = relationship(
        order_by="StageChange.changed_at", cascade="all, delete-orphan"
    )


class StageChange(Base):
    __tablename__ = "stage_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    opportunity_id: Mapped[int] = mapped_column(ForeignKey("opportunities.id", ondelete="CASCADE"), index=True)
    from_stage: Mapped[str | None] = mapped_column(String(32))
    to_stage: Mapped[str] = mapped_column(String(32))
    changed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    changed_at: Mapped[datetime] = created_at()
