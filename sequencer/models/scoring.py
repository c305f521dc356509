"""Lead scoring: activities in, versioned rule sets, and the append-only points ledger behind every score."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from sequencer.models._common import created_at
from sequencer.platform.db import Base


class Activity(Base):
    """Something a buyer did; `prospect_id` is empty while the email belongs to nobody we know yet."""

    __tablename__ = "activities"
    __table_args__ = (
        Index("ix_activities_prospect_time", "prospect_id", "occurred_at"),
        Index("ix_activities_email", "email"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    prospect_id: Mapped[int | None] = mapped_column(ForeignKey("prospects.id", ondelete="CASCADE"))
    email: Mapped[str | None] = mapped_column(String(320))  # normalised; kept for anonymous activities
    kind: Mapped[str] = mapped_column(String(32))
    occurred_at: Mapped[datetime]
    # one workspace per installation, so unique per workspace is unique in the table
    external_id: Mapped[str | None] = mapped_column(String(200), unique=True)
    source: Mapped[str] = mapped_column(String(16), default="api")
    properties: Mapped[dict] = mapped_column(default=dict)
    scored_at: Mapped[datetime | None] = mapped_column(index=True)  # empty: waiting for the scoring job
    created_at: Mapped[datetime] = created_at()


class ScoringConfig(Base):
    """One version of the workspace's scoring rules; the highest version is in force."""

    __tablename__ = "scoring_configs"

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = mapped_column(unique=True)
    rules: Mapped[list] = mapped_column(default=list)
    groups: Mapped[list] = mapped_column(default=list)
    decay: Mapped[dict] = mapped_column(default=dict)
    threshold: Mapped[int] = mapped_column(default=50)
    fit_threshold: Mapped[int | None]
    handoff: Mapped[dict] = mapped_column(default=dict)
    tracking: Mapped[dict] = mapped_column(default=dict)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = created_at()


class ScoreEntry(Base):
    """One line of the points ledger; never updated or deleted, a correction is a new line."""

    __tablename__ = "score_ledger"
    __table_args__ = (Index("ix_score_ledger_prospect_kind", "prospect_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    prospect_id: Mapped[int] = mapped_column(ForeignKey("prospects.id", ondelete="CASCADE"))
    activity_id: Mapped[int | None] = mapped_column(ForeignKey("activities.id", ondelete="SET NULL"))
    kind: Mapped[str] = mapped_column(String(16))  # fit | engagement | decay
    rule_key: Mapped[str] = mapped_column(String(64))
    rule_version: Mapped[int]
    points: Mapped[int]
    at: Mapped[datetime]  # when it happened: the activity's moment, or the decay run's
    created_at: Mapped[datetime] = created_at()
