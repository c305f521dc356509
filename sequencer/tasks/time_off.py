"""Rep time off as the rep enters it: the days away and what should happen to their work meanwhile.

Moving the work itself (`outreach.away.settle`) runs when an absence is entered and on every dispatch pass.
"""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy.orm import Session

from sequencer.accounts.permissions import is_admin
from sequencer.errors import Invalid
from sequencer.models import (
    TimeOff,
    User,
)
from sequencer.outreach.away import settle
from sequencer.platform.bounds import WINDOW, in_window
from sequencer.platform.timezones import local_date
from sequencer.texts import tr

TASK_CHOICES = ("push", "reassign")
EMAIL_CHOICES = ("wait", "delegate")
KEEP = object()  # "leave this preference as it is"


def set_preferences(session: Session, user: User, *, tasks: str | None = None, emails: str | None = None,
                    delegate_id: int | None | object = KEEP) -> User:
    """What happens to a rep's work while away: tasks pushed or given to a teammate, emails wait or go out
    from the teammate's mailbox. The teammate must be an active non-admin other than the rep."""
    if tasks is not None and tasks not in TASK_CHOICES:
        raise Invalid.field("tasks", tr("must be one of %(choices)s", choices=", ".join(TASK_CHOICES)))
    if emails is not None and emails not in EMAIL_CHOICES:
        raise Invalid.field("emails", tr("must be one of %(choices)s", choices=", ".join(EMAIL_CHOICES)))
    if delegate_id is None or isinstance(delegate_id, int):  # anything else is KEEP
        if delegate_id is not None:
            mate = session.get(User, delegate_id)
            if mate is None or not mate.active or mate.id == user.id or is_admin(mate):
                raise Invalid.field("delegate_id", tr("choose an active teammate other than yourself"))
        user.time_off_delegate_id = delegate_id
    user.time_off_tasks = tasks or user.time_off_tasks
    user.time_off_emails = emails or user.time_off_emails
    if not user.time_off_delegate_id and (user.time_off_tasks == "reassign" or user.time_off_emails == "delegate"):
        raise Invalid.field("delegate_id", tr("choose the teammate who covers while you are away"))
    session.flush()
    return user


def preferences_of(user: User) -> dict:
    return {"tasks": user.time_off_tasks, "emails": user.time_off_emails, "delegate_id": user.time_off_delegate_id}


def add_time_off(session: Session, user: User, starts_on: date, ends_on: date, now: datetime,
                 note: str = "") -> TimeOff:
    for name, day in (("starts_on", starts_on), ("ends_on", ends_on)):
        if not in_window(day):
            raise Invalid.field(name, WINDOW)
    if ends_on < starts_on:
        raise Invalid.field("ends_on", tr("must be on or after the first day"))
    if ends_on < local_date(now, user.timezone):
        raise Invalid.field("ends_on", tr("is in the past"))
    off = TimeOff(user_id=user.id, starts_on=starts_on, ends_on=ends_on, note=note, created_at=now)
    session.add(off)
    session.flush()
    settle(session, now)
    return off


