"""The unsubscribe line under every email Sequencer sends a prospect, in the prospect's language.

One rule for every door: sequence emails and reps' manual emails both go through `compose`, and the
unsubscribe page (web/public.py) speaks the same language as the line that led there.
"""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from sequencer.models import Prospect, Workspace
from sequencer.platform import i18n
from sequencer.texts import tr


def prospect_locale(session: Session, prospect: Prospect) -> str:
    """The prospect's own language when we have a catalogue for it, else the workspace default, else English."""
    return i18n.supported(prospect.language) or workspace_locale(session)


def workspace_locale(session: Session) -> str:
    """The workspace's default language (Settings), for people who have none of their own yet."""
    default = session.scalar(select(Workspace.default_locale).limit(1))
    return i18n.supported(default) or i18n.DEFAULT_LOCALE


def unsubscribe_line(locale: str | None, url: str) -> str:
    """`tr` marks it for extraction (`gettext_in` is not an extraction keyword); said in `locale`."""
    return i18n.localized(tr("Don't want to hear from us? Unsubscribe: %(url)s", url=url), locale)
