"""The rep's own open task queue, bucketed by the rep's calendar day (not UTC's)."""
from __future__ import annotations

from datetime import datetime, time, timedelta

from flask import render_template
from flask_login import current_user, login_required
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from sequencer import clock
from sequencer.extensions import db
from sequencer.models import Prospect, Step, StepRun, Task, TaskStatus, User
from sequencer.web import web_bp
from sequencer.web.pages import zone


def day_bounds(user: User, now: datetime) -> tuple[datetime, datetime]:
    """Start and end of the user's local today, as aware datetimes (DST-safe via zoneinfo)."""
    tz = zone(user.timezone)
    local_day = now.astimezone(tz).date()
    start = datetime.combine(local_day, time.min, tzinfo=tz)
    end = datetime.combine(local_day + timedelta(days=1), time.min, tzinfo=tz)
    return start, end


def due_today_count(user: User) -> int:
    """Open tasks due by the end of the user's today (overdue included): the nav badge."""
    _, end = day_bounds(user, clock.now())
    return db.session.scalar(
        select(func.count(Task.id)).where(
            Task.owner_id == user.id, Task.status == TaskStatus.OPEN, Task.due_at < end)
    ) or 0


def bucketed_tasks(user: User, now: datetime) -> dict[str, list[Task]]:
    """Overdue (before today), Today, Upcoming — all in the user's time zone."""
    start, end = day_bounds(user, now)
    rows = db.session.scalars(
        select(Task)
        .where(Task.owner_id == user.id, Task.status == TaskStatus.OPEN)
        .options(joinedload(Task.prospect).joinedload(Prospect.company))
        .order_by(Task.due_at, Task.priority, Task.id)
    ).all()
    buckets: dict[str, list[Task]] = {"overdue": [], "today": [], "upcoming": []}
    for task in rows:
        key = "overdue" if task.due_at < start else "today" if task.due_at < end else "upcoming"
        buckets[key].append(task)
    return buckets


def step_instructions(tasks: list[Task]) -> dict[int, str]:
    """The sequence step's instructions per task (one query), for tasks that carry none themselves."""
    run_ids = {t.step_run_id for t in tasks if t.step_run_id and not t.instructions}
    if not run_ids:
        return {}
    rows = db.session.execute(
        select(Task.id, Step.instructions).join(StepRun, StepRun.id == Task.step_run_id)
        .join(Step, Step.id == StepRun.step_id).where(Task.step_run_id.in_(run_ids)))
    return {task_id: text for task_id, text in rows if text}


@web_bp.route("/tasks")
@login_required
def tasks():
    now = clock.now()
    buckets = bucketed_tasks(current_user, now)
    return render_template("web/tasks.html", buckets=buckets,
                           instructions=step_instructions([t for b in buckets.values() for t in b]),
                           today=now.astimezone(zone(current_user.timezone)))
