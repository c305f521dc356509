"""Creating, listing and deactivating users; shared by the CLI, the API and the Settings page."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from sequencer.accounts.passwords import password_problem
from sequencer.accounts.tokens import end_sessions
from sequencer.errors import Conflict, Duplicate, Invalid
from sequencer.models import Role, User
from sequencer.platform.addresses import clean_email
from sequencer.platform.collation import by_name
from sequencer.platform.security import hash_password
from sequencer.platform.timezones import zone_problem
from sequencer.texts import tr


def normalize_email(value: str, field: str = "email") -> str:
    """Syntax-checked, trimmed, lower-cased email (offline: no DNS lookups); `Invalid` naming `field` otherwise."""
    clean, problem = clean_email(value)
    if clean is None:
        raise Invalid.field(field, problem or tr("is not an email address"))
    return clean


def check_timezone(value: str, field: str = "timezone") -> str:
    problem = zone_problem(value)
    if problem:
        raise Invalid.field(field, problem)
    return value


def create_user(session: Session, email: str, role: str, password: str, name: str = "",
                timezone: str = "Europe/Vilnius", title: str | None = None) -> User:
    problems = []  # every field at once, so the form is fixed in one go
    clean, why = clean_email(email)
    if clean is None:
        problems.append({"field": "email", "message": why or tr("is not an email address")})
    if role not in {r.value for r in Role}:
        problems.append({"field": "role", "message": tr("must be admin, manager or rep")})
    if problem := password_problem(password):
        problems.append({"field": "password", "message": problem})
    if problem := zone_problem(timezone):
        problems.append({"field": "timezone", "message": problem})
    if problems or clean is None:
        raise Invalid.of(problems)
    email, role_value = clean, Role(role)
    existing = session.scalars(select(User).where(User.email == email)).first()
    if existing is not None:
        raise Duplicate(tr("a user with email %(email)s exists", email=email), existing_id=existing.id)
    user = User(email=email, role=role_value, password_hash=hash_password(password),
                name=name.strip() or email.split("@")[0], timezone=timezone, title=title)
    session.add(user)
    session.flush()
    return user


def set_active(session: Session, user: User, active: bool, actor: User) -> None:
    if user.id == actor.id and not active:
        raise Conflict(tr("you cannot deactivate yourself"))
    if not active:
        end_sessions(user)  # reactivating later must not revive old sessions or remember cookies
    user.active = active


def list_users(session: Session, locale: str | None = None) -> list[User]:
    """By name in the `locale` reader's alphabetical order (the database's own without one)."""
    return list(session.scalars(select(User).order_by(by_name(session, User.name, locale), User.id)))
