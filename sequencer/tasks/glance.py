"""A rep's day at a glance (the home page): what is due and which replies wait for an answer."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session, joinedload

from sequencer.models import Prospect, Task, TaskStatus, User
from sequencer.models.tasks import TaskType
from sequencer.tasks.queue import bucket_counts, bucket_page

SHOWN = 5


@dataclass
class Day:
    counts: dict[str, int]
    due: list[tuple[Task, bool]] = field(default_factory=list)  # (task, overdue?): overdue first, then today's
    replies: list[Task] = field(default_factory=list)
    replies_total: int = 0


def replies_waiting(session: Session, owner_id: int, limit: int = SHOWN) -> tuple[list[Task], int]:
    """Open reply follow-ups (a prospect answered; the rep owes them a word), oldest first, and how many."""
    base = select(Task).where(Task.owner_id == owner_id, Task.status == TaskStatus.OPEN,
                              Task.type == TaskType.REPLY_FOLLOWUP)
    total = session.scalar(base.with_only_columns(func.count(Task.id))) or 0
    rows = session.scalars(base.options(joinedload(Task.prospect).joinedload(Prospect.company))
                           .order_by(Task.due_at, Task.id).limit(limit)).unique()
    return list(rows), total


def day_at_a_glance(session: Session, owner: User, now: datetime) -> Day:
    """Counts by bucket (the queue's own), the first tasks due by end of today, and replies waiting."""
    day = Day(bucket_counts(session, owner, now))
    overdue, _ = bucket_page(session, owner, "overdue", now, limit=SHOWN)
    today, _ = bucket_page(session, owner, "today", now, limit=SHOWN)
    day.due = ([(t, True) for t in overdue] + [(t, False) for t in today])[:SHOWN]
    day.replies, day.replies_total = replies_waiting(session, owner.id)
    return day
