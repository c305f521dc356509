"""People who log in, and the API tokens they hold."""
from __future__ import annotations

import enum
from datetime import date, datetime

from flask_login import UserMixin
from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from sequencer.models._common import created_at, enum_column
from sequencer.platform.db import Base


class Role(str, enum.Enum):
    ADMIN = "admin"
    MANAGER = "manager"
    REP = "rep"


class User(UserMixin, Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(320), unique=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    title: Mapped[str | None] = mapped_column(String(200))
    role: Mapped[Role] = enum_column(Role)
    password_hash: Mapped[str] = mapped_column(String(255))
    timezone: Mapped[str] = mapped_column(String(64), default="Europe/Vilnius")
    locale: Mapped[str | None] = mapped_column(String(8))  # None: the browser's language, then the workspace's
    signature: Mapped[str | None] = mapped_column(String(2000))
    active: Mapped[bool] = mapped_column(default=True)
    out_of_office_from: Mapped[date | None]
    out_of_office_until: Mapped[date | None]
    # while away: tasks are "push"ed past the return or "reassign"ed to the delegate; emails "wait" for the
    # return or go out from the delegate's mailbox ("delegate")
    time_off_tasks: Mapped[str] = mapped_column(String(16), default="push", server_default="push")
    time_off_emails: Mapped[str] = mapped_column(String(16), default="wait", server_default="wait")
    time_off_delegate_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    last_login_at: Mapped[datetime | None]
    # part of the id in the session and the remember cookie: logout advances it, so every copy of either dies
    session_generation: Mapped[int] = mapped_column(default=0, server_default="0")
    created_at: Mapped[datetime] = created_at()

    tokens: Mapped[list[ApiToken]] = relationship(back_populates="user", cascade="all, delete-orphan")

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive users
        return self.active

    def get_id(self) -> str:
        """What the session and the remember cookie hold: the id and the current session generation."""
        return f"{self.id}:{self.session_generation or 0}"

    def has_role(self, *roles: Role) -> bool:
        return self.role in roles


class ApiToken(Base):
    """Only a SHA-256 of the token is stored; the token itself is shown once, at creation."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(12))
    name: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = created_at()
    last_used_at: Mapped[datetime | None]
    expires_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]

    user: Mapped[User] = relationship(back_populates="tokens")


class TimeOff(Base):
    """A rep's out-of-office period, whole days in the rep's own time zone, both ends included."""

    __tablename__ = "time_off"
    __table_args__ = (Index("ix_time_off_user_end", "user_id", "ends_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    starts_on: Mapped[date]
    ends_on: Mapped[date]
    note: Mapped[str] = mapped_column(String(200), default="", server_default="")
    created_at: Mapped[datetime] = created_at()
