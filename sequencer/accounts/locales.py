"""The language Sequencer writes to one of its own users in (task titles, emails): theirs, else the workspace's.

Jobs have no request (no browser to ask), so the user's profile decides; an address that is no user's
(a test email to an outside inbox) gets the workspace's language.
"""
from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from sequencer.accounts.workspace import default_locale
from sequencer.models import User
from sequencer.platform.i18n import recipient_locale


def locale_for(session: Session, user: User | None = None, email: str | None = None) -> str:
    if user is None and email:
        user = session.scalars(select(User).where(func.lower(User.email) == email.strip().lower())).first()
    return recipient_locale(user.locale if user is not None else None, default_locale(session))


def locales_of(session: Session, user_ids: Iterable[int | None]) -> dict[int | None, str]:
    """Each user's language in one query (a dispatch pass writes tasks for many owners); None → the workspace's."""
    fallback = default_locale(session)
    ids = {i for i in user_ids if i is not None}
    own: dict[int, str | None] = dict(session.execute(select(User.id, User.locale).where(User.id.in_(ids))).all()) \
        if ids else {}
    return {None: fallback, **{i: recipient_locale(own.get(i), fallback) for i in ids}}
