"""Workspace-wide settings: one row, created on first use."""
from __future__ import annotations

from sqlalchemy import ForeignKey, String, Text, false, text
from sqlalchemy.orm import Mapped, mapped_column

from sequencer.platform.db import Base

DEFAULT_SCHEDULE = {
    "days": ["mon", "tue", "wed", "thu", "fri"],
    "window_start": "09:00",
    "window_end": "17:00",
    "holidays": "prospect",
    "fallback_timezone": "Europe/Vilnius",
}

# days without activity after which an open deal in that stage is stale (no rule: never stale)
DEFAULT_STALE_RULES = {"qualification": 7, "needs_analysis": 7, "proposal": 5, "negotiation": 3}


class Workspace(Base):
    __tablename__ = "workspace"

    id: Mapped[int] = mapped_column(primary_key=True)
    company_name: Mapped[str] = mapped_column(String(200), default="")
    postal_address: Mapped[str] = mapped_column(Text, default="")
    default_locale: Mapped[str] = mapped_column(String(8), default="en", server_default="en")
    default_schedule: Mapped[dict] = mapped_column(default=lambda: dict(DEFAULT_SCHEDULE))
    allow_multiple_enrollments: Mapped[bool] = mapped_column(default=False)
    reenroll_cooldown_days: Mapped[int] = mapped_column(default=30)
    reply_stops_company: Mapped[bool] = mapped_column(default=False, server_default=false())
    stale_rules: Mapped[dict] = mapped_column(
        default=lambda: dict(DEFAULT_STALE_RULES),
        server_default=text("'{\"qualification\": 7, \"needs_analysis\": 7, \"proposal\": 5, \"negotiation\": 3}'"))
    stale_email_owner: Mapped[bool] = mapped_column(default=False, server_default=false())
    # hosts whose links a rep's hand-written (manual) email may get click-tracked; others stay untracked
    tracked_link_domains: Mapped[list] = mapped_column(default=list, server_default=text("'[]'"))
    # a mailbox pauses itself after this many sender-side rejections within the window
    sender_rejection_threshold: Mapped[int] = mapped_column(default=5, server_default="5")
    sender_rejection_window_minutes: Mapped[int] = mapped_column(default=60, server_default="60")
    tracking_domain: Mapped[str | None] = mapped_column(String(255))  # links and pixels; a mailbox's own wins
    stale_sequence_id: Mapped[int | None] = mapped_column(ForeignKey("sequences.id", ondelete="SET NULL"))
