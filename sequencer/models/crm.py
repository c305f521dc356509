"""Who we sell to: companies, buyer personas, prospects and the suppression list."""
from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from sequencer.models._common import created_at, enum_column
from sequencer.models.users import User
from sequencer.platform import clock
from sequencer.platform.db import Base


class Company(Base):
    __tablename__ = "companies"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    domain: Mapped[str | None] = mapped_column(String(255), unique=True)
    industry: Mapped[str | None] = mapped_column(String(200))
    size: Mapped[str | None] = mapped_column(String(50))
    country: Mapped[str | None] = mapped_column(String(2))
    created_at: Mapped[datetime] = created_at()


class Persona(Base):
    __tablename__ = "personas"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    title_keywords: Mapped[list] = mapped_column(default=list)
    created_at: Mapped[datetime] = created_at()


class ProspectStatus(str, enum.Enum):
    ACTIVE = "active"
    UNSUBSCRIBED = "unsubscribed"
    BOUNCED = "bounced"
    COMPLAINED = "complained"  # reported our email as spam: never contacted again
    DO_NOT_CONTACT = "do_not_contact"


class Prospect(Base):
    __tablename__ = "prospects"
    __table_args__ = (
        Index("ix_prospects_owner_status", "owner_id", "status"),
        Index("ix_prospects_sales_ready_engagement", "sales_ready", "score_engagement"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(320))
    email_normalized: Mapped[str] = mapped_column(String(320), unique=True)
    first_name: Mapped[str] = mapped_column(String(200), default="")
    last_name: Mapped[str] = mapped_column(String(200), default="")
    title: Mapped[str | None] = mapped_column(String(300))
    company_id: Mapped[int | None] = mapped_column(ForeignKey("companies.id", ondelete="SET NULL"), index=True)
    persona_id: Mapped[int | None] = mapped_column(ForeignKey("personas.id", ondelete="SET NULL"), index=True)
    phone: Mapped[str | None] = mapped_column(String(40))
    linkedin_url: Mapped[str | None] = mapped_column(String(500))
    timezone: Mapped[str | None] = mapped_column(String(64))
    country: Mapped[str | None] = mapped_column(String(2))
    city: Mapped[str | None] = mapped_column(String(200))
    language: Mapped[str | None] = mapped_column(String(8))
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    status: Mapped[ProspectStatus] = enum_column(ProspectStatus, default=ProspectStatus.ACTIVE)
    fields: Mapped[dict] = mapped_column(default=dict)
    created_at: Mapped[datetime] = created_at()
    updated_at: Mapped[datetime] = mapped_column(default=clock.now, onupdate=clock.now)
    # lead scoring (sequencer.scoring): always the sums of this prospect's score_ledger lines
    score_fit: Mapped[int] = mapped_column(default=0, server_default="0")
    score_engagement: Mapped[int] = mapped_column(default=0, server_default="0")
    sales_ready: Mapped[bool] = mapped_column(default=False, server_default=false())
    sales_ready_at: Mapped[datetime | None]
    sales_ready_crossings: Mapped[int] = mapped_column(default=0, server_default="0")
    last_activity_at: Mapped[datetime | None]
    score_decay_steps: Mapped[int] = mapped_column(default=0, server_default="0")  # since last_activity_at

    company: Mapped[Company | None] = relationship()
    persona: Mapped[Persona | None] = relationship()
    owner: Mapped[User | None] = relationship()

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip() or self.email


class SuppressionKind(str, enum.Enum):
    EMAIL = "email"
    DOMAIN = "domain"
    EMAIL_HASH = "email_hash"


class Suppression(Base):
    """An address or domain we must never email; erased people stay here only as a hash."""

    __tablename__ = "suppressions"
    __table_args__ = (UniqueConstraint("kind", "value", name="uq_suppressions_kind_value"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[SuppressionKind] = enum_column(SuppressionKind)
    value: Mapped[str] = mapped_column(String(320))
    reason: Mapped[str] = mapped_column(String(64), default="manual")
    note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = created_at()
