"""The moment the demo is seeded at, and reading its rows back: whole tables and a rep's task buckets."""
from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from sequencer.models import Task, TaskStatus, User

NOW = datetime(2026, 11, 25, 8, 30, tzinfo=UTC)  # a Wednesday, 10:30 in Vilnius
VILNIUS = ZoneInfo("Europe/Vilnius")


def rows_of(session, model, *where):
    return list(session.scalars(select(model).where(*where)))


def task_buckets(session: Session, user: User, now: datetime) -> Counter:
    """The user's open tasks counted as overdue, today and upcoming in their own time zone."""
    tz = ZoneInfo(user.timezone)
    today = now.astimezone(tz).date()
    out = Counter()
    for task in rows_of(session, Task, Task.owner_id == user.id, Task.status == TaskStatus.OPEN):
        day = task.due_at.astimezone(tz).date()
        out["today" if day == today else "overdue" if day < today else "upcoming"] += 1
    return out
