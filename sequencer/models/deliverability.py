"""Deliverability: mailbox pools (a rep's mailboxes that share sending) and stored DNS check results."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column

from sequencer.models._common import created_at
from sequencer.platform.db import Base


class MailboxPool(Base):
    """Mailboxes that take turns: an enrolment on the pool starts on the member with the most room today."""

    __tablename__ = "mailbox_pools"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    created_at: Mapped[datetime] = created_at()


class DomainCheck(Base):
    """The last DNS verdict for one domain: `sending` (SPF, DKIM, DMARC, MX) or `tracking` (the CNAME)."""

    __tablename__ = "domain_checks"
    __table_args__ = (UniqueConstraint("kind", "domain", name="uq_domain_checks_kind_domain"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    domain: Mapped[str] = mapped_column(String(255))
    passed: Mapped[bool] = mapped_column(default=False, server_default=false())
    problems: Mapped[list] = mapped_column(default=list)  # plain-words sentences, empty when passed
    records: Mapped[dict] = mapped_column(default=dict)  # what DNS answered, for the page
    checked_at: Mapped[datetime | None]
    acknowledged_at: Mapped[datetime | None]
    acknowledged_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
