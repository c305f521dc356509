"""Sending mailboxes: SMTP settings (password encrypted at rest) and their limits."""
from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import ForeignKey, String, Text, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from sequencer.models._common import created_at, enum_column
from sequencer.models.users import User
from sequencer.platform.db import Base


class Transport(str, enum.Enum):
    SMTP = "smtp"
    OUTBOX = "outbox"


class SmtpSecurity(str, enum.Enum):
    NONE = "none"
    STARTTLS = "starttls"
    TLS = "tls"


class MailboxAuth(str, enum.Enum):
    """How the mailbox logs in to SMTP and IMAP: a stored password or an OAuth grant (SASL XOAUTH2)."""
    PASSWORD = "password"
    OAUTH_GOOGLE = "oauth_google"
    OAUTH_MICROSOFT = "oauth_microsoft"


class MailboxStatus(str, enum.Enum):
    ACTIVE = "active"
    PAUSED = "paused"


class Mailbox(Base):
    __tablename__ = "mailboxes"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(320), unique=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    transport: Mapped[Transport] = enum_column(Transport, default=Transport.OUTBOX)
    smtp_host: Mapped[str | None] = mapped_column(String(255))
    smtp_port: Mapped[int | None]
    smtp_username: Mapped[str | None] = mapped_column(String(320))
    smtp_password_encrypted: Mapped[str | None] = mapped_column(Text)
    smtp_security: Mapped[SmtpSecurity] = enum_column(SmtpSecurity, default=SmtpSecurity.STARTTLS)
    daily_limit: Mapped[int] = mapped_column(default=200)
    min_interval_seconds: Mapped[int] = mapped_column(default=60)
    domain_daily_limit: Mapped[int | None]
    status: Mapped[MailboxStatus] = enum_column(MailboxStatus, default=MailboxStatus.ACTIVE)
    paused_reason: Mapped[str | None] = mapped_column(Text)
    next_send_at: Mapped[datetime | None]  # the throttle: reserved atomically by whichever dispatcher wins
    consecutive_failures: Mapped[int] = mapped_column(default=0, server_default="0")
    # Inbound: replies, bounces and out-of-office answers are polled from this IMAP account
    imap_host: Mapped[str | None] = mapped_column(String(255))
    imap_port: Mapped[int | None]
    imap_username: Mapped[str | None] = mapped_column(String(320))
    imap_password_encrypted: Mapped[str | None] = mapped_column(Text)
    imap_security: Mapped[SmtpSecurity] = enum_column(SmtpSecurity, default=SmtpSecurity.TLS,
                                                      server_default=SmtpSecurity.TLS.value)
    imap_folders: Mapped[list] = mapped_column(default=list, server_default="[]")  # besides INBOX
    imap_failures: Mapped[int] = mapped_column(default=0, server_default="0")
    imap_error: Mapped[str | None] = mapped_column(Text)
    imap_checked_at: Mapped[datetime | None]
    # OAuth mailboxes: the grant's tokens (encrypted like the passwords); a reason set means "reconnect needed"
    auth: Mapped[MailboxAuth] = enum_column(MailboxAuth, default=MailboxAuth.PASSWORD,
                                            server_default=MailboxAuth.PASSWORD.value)
    oauth_refresh_encrypted: Mapped[str | None] = mapped_column(Text)
    oauth_access_encrypted: Mapped[str | None] = mapped_column(Text)
    oauth_expires_at: Mapped[datetime | None]
    oauth_reconnect_reason: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = created_at()
    # Deliverability: warm-up ramp (no start day: full speed), pool, DKIM signing, tracking domain, DNS gate
    warmup_start: Mapped[int | None]
    warmup_step: Mapped[int | None]
    warmup_target: Mapped[int | None]
    warmup_started_on: Mapped[date | None]
    pool_id: Mapped[int | None] = mapped_column(ForeignKey("mailbox_pools.id", ondelete="SET NULL"), index=True)
    dkim_selector: Mapped[str | None] = mapped_column(String(63))
    dkim_private_key_encrypted: Mapped[str | None] = mapped_column(Text)
    dkim_signing: Mapped[bool] = mapped_column(default=False, server_default=false())
    tracking_domain: Mapped[str | None] = mapped_column(String(255))
    awaiting_domain_check: Mapped[bool] = mapped_column(default=False, server_default=false())

    owner: Mapped[User | None] = relationship()
