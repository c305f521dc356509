"""The unsubscribe line under every email Sequencer sends a prospect, in the prospect's language.

One rule for every door: sequence emails and reps' manual emails both go through `compose`, and the
unsubscribe page (web/public.py) speaks the same language as the line that led there.
"""
from __future__ import annotations

from sqlalchemy.orm import Session

from sequencer.accounts.workspace import default_locale
from sequencer.models import Prospect, Workspace
from sequencer.platform import i18n
from sequencer.texts import tr


def prospect_locale(session: Session, prospect: Prospect, workspace: Workspace | None = None) -> str:
    """The prospect's own language when we have a catalogue for it, else the workspace default, else English."""
    return i18n.supported(prospect.language) or default_locale(session, workspace)


def unsubscribe_line(locale: str | None, url: str) -> str:
    """`tr` marks it for extraction (`gettext_in` is not an extraction keyword); said in `locale`."""
    return i18n.localized(tr("Don't want to hear from us? Unsubscribe: %(url)s", url=url), locale)
