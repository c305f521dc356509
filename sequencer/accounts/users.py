"""Creating, listing and deactivating users; shared by the CLI, the API and the Settings page."""
from __future__ import annotations

from email_validator import EmailNotValidError, validate_email
from sqlalchemy import select
from sqlalchemy.orm import Session

from sequencer.errors import Conflict, Duplicate, Invalid
from sequencer.models import Role, User
from sequencer.platform.security import hash_password
from sequencer.platform.timezones import is_valid_zone

MIN_PASSWORD = 8


def normalize_email(value: str, field: str = "email") -> str:
    """Syntax-checked, trimmed, lower-cased email (offline: no DNS lookups)."""
    try:
        result = validate_email((value or "").strip(), check_deliverability=False)
    except EmailNotValidError as exc:
        raise Invalid.field(field, str(exc)) from None
    return result.normalized.lower()


def check_timezone(value: str, field: str = "timezone") -> str:
    if not is_valid_zone(value):
        raise Invalid.field(field, f"unknown IANA time zone {value!r}")
    return value


def create_user(session: Session, email: str, role: str, password: str, name: str = "",
                timezone: str = "Europe/Vilnius", title: str | None = None) -> User:
    email = normalize_email(email)
    try:
        role_value = Role(role)
    except ValueError:
        raise Invalid.field("role", "must be admin, manager or rep") from None
    if len(password or "") < MIN_PASSWORD:
        raise Invalid.field("password", f"must be at least {MIN_PASSWORD} characters")
    check_timezone(timezone)
    existing = session.scalars(select(User).where(User.email == email)).first()
    if existing is not None:
        raise Duplicate(f"a user with email {email} exists", existing_id=existing.id)
    user = User(email=email, role=role_value, password_hash=hash_password(password),
                name=name.strip() or email.split("@")[0], timezone=timezone, title=title)
    session.add(user)
    session.flush()
    return user


def set_active(session: Session, user: User, active: bool, actor: User) -> None:
    if user.id == actor.id and not active:
        raise Conflict("you cannot deactivate yourself")
    user.active = active


def list_users(session: Session) -> list[User]:
    return list(session.scalars(select(User).order_by(User.name)))
