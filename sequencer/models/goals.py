"""Revenue goals the plan works backwards from, the costs behind CAC, and the Monday summaries already sent."""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import ForeignKey, Numeric, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from sequencer.models._common import created_at
from sequencer.platform.db import Base


class Goal(Base):
    """A target for a period (team when owner_id is None); plan and pace are computed, never stored."""

    __tablename__ = "goals"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    period_start: Mapped[date]
    period_end: Mapped[date]
    target_amount: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))
    target_deals: Mapped[int | None]
    currency: Mapped[str] = mapped_column(String(3), default="EUR")
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    # {stage: rate} typed by the manager, plus optional "average_deal" and "cycle_days"
    assumptions: Mapped[dict] = mapped_column(default=dict)
    # one weight per month of the period (seasonality); empty = an even split
    weights: Mapped[list] = mapped_column(default=list)
    window_days: Mapped[int] = mapped_column(default=365)
    behind_threshold: Mapped[float] = mapped_column(default=0.2)
    holiday_country: Mapped[str | None] = mapped_column(String(8))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = created_at()


class AcquisitionCost(Base):
    """What the team spent on winning customers in one month, as a manager entered it (for CAC)."""

    __tablename__ = "acquisition_costs"
    __table_args__ = (UniqueConstraint("month", "currency", name="uq_acquisition_costs_month_currency"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    month: Mapped[date]
    amount: Mapped[Decimal] = mapped_column(Numeric(14, 2))
    currency: Mapped[str] = mapped_column(String(3), default="EUR")
    note: Mapped[str] = mapped_column(String(200), default="")


class GoalSummarySent(Base):
    """One row per (goal, manager, week): the unique key is what makes the Monday email safe to run twice."""

    __tablename__ = "goal_summaries_sent"
    __table_args__ = (UniqueConstraint("goal_id", "user_id", "week_start", name="uq_goal_summaries_sent_week"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    goal_id: Mapped[int] = mapped_column(ForeignKey("goals.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    week_start: Mapped[date]
    sent_at: Mapped[datetime] = created_at()
