"""Activity per rep per week: emails sent, calls made and connected, LinkedIn touches, meetings, overdue tasks.

Emails count by the sending mailbox's owner (a send has no acting user); calls and LinkedIn touches by
the completed task's owner and week; meetings by the event's user; overdue is a snapshot as of now,
counted as the queue and the Team view count it (reports/overdue.py).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from sequencer.models import Event, Mailbox, Task, TaskStatus, User
from sequencer.models.tasks import TaskType
from sequencer.reports.overdue import overdue_counts

CONNECTED = ("connected", "meeting_booked")  # call outcomes where someone picked up
LINKEDIN = (TaskType.LINKEDIN_VIEW, TaskType.LINKEDIN_CONNECT, TaskType.LINKEDIN_MESSAGE)
COLUMNS = ("emails", "calls", "connected", "linkedin", "meetings")


@dataclass
class RepWeek:
    emails: int = 0
    calls: int = 0
    connected: int = 0
    linkedin: int = 0
    meetings: int = 0


@dataclass
class RepRow:
    user_id: int
    name: str
    overdue: int = 0
    weeks: dict[date, RepWeek] = field(default_factory=dict)

    def week(self, start: date) -> RepWeek:
        return self.weeks.setdefault(start, RepWeek())

    def total(self, name: str) -> int:
        return sum(getattr(w, name) for w in self.weeks.values())


def _monday(value) -> date:
    d = value if isinstance(value, date) else date.fromisoformat(str(value)[:10])
    return d - timedelta(days=d.weekday())


def rep_activity(session: Session, now: datetime, weeks: int = 8) -> tuple[list[date], list[RepRow]]:
    """The last `weeks` ISO weeks up to now, one row per active user with any activity or open work."""
    first = _monday(now.date()) - timedelta(weeks=weeks - 1)
    since = datetime.combine(first, datetime.min.time(), tzinfo=now.tzinfo)
    users = list(session.scalars(select(User).order_by(User.name)))
    rows = {u.id: RepRow(u.id, u.name or u.email) for u in users}
    day = func.date(Event.occurred_at)
    for owner_id, d, n in session.execute(
            select(Mailbox.owner_id, day, func.count()).join(Mailbox, Mailbox.id == Event.mailbox_id)
            .where(Event.kind == "sent", Event.occurred_at >= since).group_by(Mailbox.owner_id, day)):
        if owner_id in rows:
            rows[owner_id].week(_monday(d)).emails += n
    for user_id, d, n in session.execute(
            select(Event.user_id, day, func.count()).where(Event.kind == "meeting_booked", Event.occurred_at >= since)
            .group_by(Event.user_id, day)):
        if user_id in rows:
            rows[user_id].week(_monday(d)).meetings += n
    done_day = func.date(Task.completed_at)
    for owner_id, ttype, outcome, d, n in session.execute(
            select(Task.owner_id, Task.type, Task.outcome, done_day, func.count())
            .where(Task.status == TaskStatus.DONE, Task.completed_at >= since,
                   Task.type.in_((TaskType.CALL, *LINKEDIN)))
            .group_by(Task.owner_id, Task.type, Task.outcome, done_day)):
        if owner_id not in rows:
            continue
        wk = rows[owner_id].week(_monday(d))
        if ttype == TaskType.CALL:
            wk.calls += n
            wk.connected += n if outcome in CONNECTED else 0
        else:
            wk.linkedin += n
    for owner_id, n in overdue_counts(session, users, now).items():
        rows[owner_id].overdue = n
    starts = [first + timedelta(weeks=i) for i in range(weeks)]
    return starts, [r for r in rows.values() if r.weeks or r.overdue]
