"""Website forms: their definitions, every submission as it arrived, the consent log and the rotation's memory."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from sequencer.models._common import created_at
from sequencer.platform.db import Base


class Form(Base):
    """A form a manager built; `key` is the public name in /f/<key> (not a secret, just unguessable)."""

    __tablename__ = "forms"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(32))
    fields: Mapped[list] = mapped_column(default=list)  # [{name, label, required, maps_to}]
    consent_text: Mapped[str] = mapped_column(Text, default="")
    consent_version: Mapped[int] = mapped_column(default=1)
    thank_you: Mapped[str] = mapped_column(Text, default="")
    redirect_url: Mapped[str | None] = mapped_column(String(2000))
    content_url: Mapped[str | None] = mapped_column(String(2000))  # the file a content download delivers
    booking_url: Mapped[str | None] = mapped_column(String(2000))  # a demo request's booking note links here
    allowed_origins: Mapped[list] = mapped_column(default=list)
    double_opt_in: Mapped[bool] = mapped_column(default=False)
    sequence_id: Mapped[int | None] = mapped_column(ForeignKey("sequences.id", ondelete="SET NULL"))
    welcome_sequence_id: Mapped[int | None] = mapped_column(ForeignKey("sequences.id", ondelete="SET NULL"))
    routing: Mapped[dict] = mapped_column(default=dict)  # {rules: [...], round_robin: [{user_id, weight}], daily_cap}
    escalation: Mapped[dict] = mapped_column(default=dict)  # {remind_minutes, manager_minutes, reassign_minutes}
    manager_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = created_at()


class FormSubmission(Base):
    """One POST, stored before anything else happens; the worker fills in the rest."""

    __tablename__ = "form_submissions"
    __table_args__ = (
        Index("ix_form_submissions_form_email", "form_id", "email"),
        Index("ix_form_submissions_status", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    form_id: Mapped[int] = mapped_column(ForeignKey("forms.id", ondelete="CASCADE"))
    email: Mapped[str] = mapped_column(String(320))  # normalised
    data: Mapped[dict] = mapped_column(default=dict)  # the raw fields as sent
    ip: Mapped[str | None] = mapped_column(String(64))
    user_agent: Mapped[str | None] = mapped_column(String(400))
    page_url: Mapped[str | None] = mapped_column(String(2000))
    utm: Mapped[dict] = mapped_column(default=dict)
    consent_given: Mapped[bool] = mapped_column(default=False)
    consent_text: Mapped[str | None] = mapped_column(Text)
    consent_version: Mapped[int | None]
    flags: Mapped[list] = mapped_column(default=list)  # role_address, disposable_address, unverified_timing
    # received → processing → processed | pending_confirmation | duplicate
    status: Mapped[str] = mapped_column(String(24), default="received")
    claimed_until: Mapped[datetime | None]
    prospect_id: Mapped[int | None] = mapped_column(ForeignKey("prospects.id", ondelete="SET NULL"), index=True)
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    route_reason: Mapped[str | None] = mapped_column(String(300))
    task_id: Mapped[int | None] = mapped_column(ForeignKey("tasks.id", ondelete="SET NULL"))
    handoff: Mapped[dict] = mapped_column(default=dict)  # what the hand-off did: welcome, enrolment, skips
    confirmation_sent_at: Mapped[datetime | None]
    confirmed_at: Mapped[datetime | None]
    assigned_at: Mapped[datetime | None]
    escalation_level: Mapped[int] = mapped_column(default=0)
    processed_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = created_at()


class FormConsent(Base):
    """The consent log: append-only, what was agreed to (text and version), when and from where."""

    __tablename__ = "form_consents"

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("form_submissions.id", ondelete="CASCADE"), index=True)
    email: Mapped[str] = mapped_column(String(320), index=True)
    action: Mapped[str] = mapped_column(String(16))  # given | confirmed
    text: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[int | None]
    ip: Mapped[str | None] = mapped_column(String(64))
    at: Mapped[datetime]


class FormRotation(Base):
    """How many leads each rep got from a form's round-robin: the rotation's memory across team changes."""

    __tablename__ = "form_rotation"

    form_id: Mapped[int] = mapped_column(ForeignKey("forms.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    assigned: Mapped[int] = mapped_column(default=0)
