"""Editing a user and resetting their password (Settings → Users): every problem with the form is found and
reported together, in words a person reads next to each field."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from sequencer.accounts.passwords import password_problem
from sequencer.accounts.profile import locale_problem
from sequencer.accounts.tokens import end_sessions
from sequencer.errors import Invalid
from sequencer.models import Role, User
from sequencer.platform.addresses import clean_email
from sequencer.platform.security import hash_password
from sequencer.platform.timezones import is_valid_zone
from sequencer.texts import tr


def _problems(session: Session, user: User, actor: User, values: dict[str, str]) -> list[dict[str, str]]:
    problems = []
    name = values.get("name", "").strip()
    if not name:
        problems.append({"field": "name", "message": tr("Enter a name: it is shown on tasks and in reports.")})
    elif len(name) > 200:
        problems.append({"field": "name", "message": tr("Use at most 200 characters.")})
    email, why = clean_email(values.get("email", ""))
    if email is None:
        problems.append({"field": "email", "message": tr("This is not an email address (%(why)s).",
                                                         why=why or tr("check it"))})
    elif session.scalar(select(User.id).where(User.email == email, User.id != user.id)) is not None:
        problems.append({"field": "email", "message": tr("Another user already signs in with this address.")})
    role = values.get("role", "")
    if role not in {r.value for r in Role}:
        problems.append({"field": "role", "message": tr("Choose admin, manager or rep.")})
    elif user.id == actor.id and role != user.role.value:
        problems.append({"field": "role", "message": tr("You cannot change your own role: ask another admin.")})
    if problem := locale_problem((values.get("locale") or "").strip()):
        problems.append({"field": "locale", "message": problem})
    if not is_valid_zone(values.get("timezone", "")):
        problems.append({"field": "timezone", "message": tr("Pick a time zone from the list, e.g. Europe/Vilnius.")})
    return problems


def update_user(session: Session, user: User, actor: User, values: dict[str, str]) -> User:
    """Name, email, role, time zone and language (when sent); `Invalid` lists every problem at once and nothing is changed."""
    problems = _problems(session, user, actor, values)
    if problems:
        raise Invalid.of(problems)
    user.name = values["name"].strip()
    user.email = clean_email(values["email"])[0] or user.email
    user.role = Role(values["role"])
    user.timezone = values["timezone"]
    if "locale" in values:  # empty: follow the browser
        user.locale = values["locale"].strip() or None
    session.flush()
    return user


def reset_password(session: Session, user: User, password: str, confirm: str) -> None:
    """A new password chosen by an admin; the user's open sessions and remember-me cookies end."""
    problems = []
    if problem := password_problem(password):
        problems.append({"field": "password", "message": tr("The password %(problem)s.", problem=problem)})
    if password != confirm:
        problems.append({"field": "confirm", "message": tr("The two passwords differ: type the same one twice.")})
    if problems:
        raise Invalid.of(problems)
    user.password_hash = hash_password(password)
    end_sessions(user)
    session.flush()
