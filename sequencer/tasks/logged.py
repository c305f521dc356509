"""Touches a rep records from a prospect's page, outside the queue: a call already made and a note.

A logged call is a call task completed at once through `outcomes.complete`, so it takes the call's outcomes and
leaves the same event (and meeting credit) as a call worked from the queue.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from sequencer.accounts.locales import locale_for
from sequencer.accounts.permissions import may_edit_prospect
from sequencer.errors import Forbidden, Invalid
from sequencer.models import Event, Prospect, Task, TaskStatus, User
from sequencer.models.tasks import TaskType
from sequencer.platform.i18n import gettext_in
from sequencer.tasks.outcomes import complete
from sequencer.texts import tr

MAX_NOTE = 5000


def _require(actor: User, prospect: Prospect) -> None:
    if not may_edit_prospect(actor, prospect):
        raise Forbidden(tr("reps record activity on their own prospects"))


def log_call(session: Session, prospect: Prospect, actor: User, outcome: str, notes: str | None,
             now: datetime) -> Task:
    """A call the rep made (phone in hand, not from the queue), recorded with its outcome."""
    _require(actor, prospect)
    task = Task(type=TaskType.CALL, status=TaskStatus.OPEN, owner_id=actor.id, prospect_id=prospect.id,
                due_at=now, priority=1, title=gettext_in(locale_for(session, actor), "Call %(name)s", name=prospect.name), created_at=now)
    session.add(task)
    session.flush()
    return complete(session, task, actor, outcome, (notes or "").strip()[:MAX_NOTE] or None, now)


def add_note(session: Session, prospect: Prospect, actor: User, note: str, now: datetime) -> Event:
    """A note on the prospect's timeline."""
    _require(actor, prospect)
    text = (note or "").strip()
    if not text:
        raise Invalid.field("note", tr("write something"))
    if len(text) > MAX_NOTE:
        raise Invalid.field("note", tr("at most %(max)s characters", max=MAX_NOTE))
    event = Event(kind="note", occurred_at=now, prospect_id=prospect.id, user_id=actor.id, payload={"note": text})
    session.add(event)
    session.flush()
    return event
