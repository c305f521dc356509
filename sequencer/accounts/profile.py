"""A user's own settings (Profile): their name, language and time zone; the only page every role may edit about itself."""
from __future__ import annotations

from sqlalchemy.orm import Session

from sequencer.errors import Invalid
from sequencer.models import User
from sequencer.platform.i18n import LOCALES
from sequencer.platform.timezones import is_valid_zone
from sequencer.texts import Text, tr


def locale_problem(value: str) -> Text | None:
    """The one rule for a chosen language (profile, a user edited by an admin): empty or one we speak."""
    return tr("Pick a language from the list.") if value and value not in LOCALES else None


def update_profile(session: Session, user: User, values: dict[str, str]) -> User:
    """`locale` empty means "follow my browser"; every problem is reported at once and nothing is changed."""
    problems = []
    name = (values.get("name") or "").strip()
    if not name:
        problems.append({"field": "name", "message": tr("Enter a name: it is shown on tasks and in reports.")})
    elif len(name) > 200:
        problems.append({"field": "name", "message": tr("Use at most 200 characters.")})
    locale = (values.get("locale") or "").strip()
    if problem := locale_problem(locale):
        problems.append({"field": "locale", "message": problem})
    zone = (values.get("timezone") or "").strip()
    if not is_valid_zone(zone):
        problems.append({"field": "timezone", "message": tr("Pick a time zone from the list, e.g. Europe/Vilnius.")})
    if problems:
        raise Invalid.of(problems)
    user.name = name
    user.locale = locale or None
    user.timezone = zone
    session.flush()
    return user
