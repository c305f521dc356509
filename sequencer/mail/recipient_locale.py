"""The language of an email Sequencer writes to one of its own users: theirs, else the workspace's default.

Jobs have no request (no browser to ask), so the recipient's profile decides; an address that is no user's
(a test email to an outside inbox) gets the workspace's language.
"""
from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from sequencer.accounts.workspace import default_locale
from sequencer.models import User
from sequencer.platform.i18n import recipient_locale


def locale_for(session: Session, user: User | None = None, email: str | None = None) -> str:
    if user is None and email:
        user = session.scalars(select(User).where(func.lower(User.email) == email.strip().lower())).first()
    return recipient_locale(user.locale if user is not None else None, default_locale(session))
