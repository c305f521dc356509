"""The one definition of "overdue": an open task due before the start of its owner's today (their time zone).

The queue's Overdue bucket, the Team view and Reports → Activity per rep all count through here.
"""
from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from sequencer.models import Task, TaskStatus, User
from sequencer.platform.timezones import day_bounds


def is_overdue(today_starts: datetime) -> ColumnElement[bool]:
    """The condition, given the owner's start of today."""
    return (Task.status == TaskStatus.OPEN) & (Task.due_at < today_starts)


def overdue_counts(session: Session, users: Iterable[User], now: datetime) -> dict[int, int]:
    """user id → overdue tasks; one query per time zone among the users."""
    by_zone: dict[str, list[int]] = {}
    for user in users:
        by_zone.setdefault(user.timezone, []).append(user.id)
    out: dict[int, int] = {}
    for zone, ids in by_zone.items():
        start, _ = day_bounds(now, zone)
        for owner_id, n in session.execute(select(Task.owner_id, func.count())
                                           .where(Task.owner_id.in_(ids), is_overdue(start))
                                           .group_by(Task.owner_id)):
            if owner_id is not None:
                out[owner_id] = n
    return out
