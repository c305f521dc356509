"""The rep's queue: Today, Overdue and Upcoming in the rep's own time zone, sorted by priority then due moment."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Row, Select, case, func, select
from sqlalchemy.orm import Session, joinedload

from sequencer.models import Company, Enrollment, Prospect, Sequence, Step, StepRun, Task, TaskStatus, User
from sequencer.platform.timezones import day_bounds
from sequencer.reports.overdue import is_overdue

BUCKETS = ("today", "overdue", "upcoming", "all")
PAGE = 30  # the most urgent first; more than a screenful, and each row costs render time


@dataclass
class Filters:
    type: str | None = None
    sequence_id: int | None = None


def _open_for(owner_id: int, filters: Filters) -> Select:
    stmt = select(Task).where(Task.owner_id == owner_id, Task.status == TaskStatus.OPEN)
    if filters.type:
        stmt = stmt.where(Task.type == filters.type)
    if filters.sequence_id:
        stmt = stmt.where(Task.enrollment_id.in_(
            select(Enrollment.id).where(Enrollment.sequence_id == filters.sequence_id)))
    return stmt


def _in_bucket(stmt: Select, bucket: str, start: datetime, end: datetime) -> Select:
    if bucket == "today":
        return stmt.where(Task.due_at >= start, Task.due_at < end)
    if bucket == "overdue":
        return stmt.where(is_overdue(start))
    if bucket == "upcoming":
        return stmt.where(Task.due_at >= end)
    return stmt


StepInfo = tuple[int, str, str]  # (step position, step instructions, sequence name)


ORDER = (Task.priority, Task.due_at, Task.id)
WITH_PROSPECT = (joinedload(Task.prospect).joinedload(Prospect.company),
                 joinedload(Task.prospect).joinedload(Prospect.persona))


def _page_ids(owner: User, bucket: str, now: datetime, filters: Filters | None, limit: int | None, offset: int):
    """The page's task ids, cut on the tasks' index first so only its rows get joined (not the whole bucket)."""
    start, end = day_bounds(now, owner.timezone)
    page = _in_bucket(_open_for(owner.id, filters or Filters()), bucket, start, end).with_only_columns(Task.id)
    page = page.order_by(*ORDER).offset(offset)
    return (page.limit(limit) if limit else page).scalar_subquery()


def _with_step(stmt: Select) -> Select:
    return (stmt.outerjoin(StepRun, StepRun.id == Task.step_run_id).outerjoin(Step, Step.id == StepRun.step_id)
            .outerjoin(Sequence, Sequence.id == Step.sequence_id))


def bucket_page(session: Session, owner: User, bucket: str, now: datetime, filters: Filters | None = None,
                limit: int | None = PAGE, offset: int = 0) -> tuple[list[Task], dict[int, StepInfo]]:
    """One bucket's open tasks, most urgent first, with prospect and company loaded, and the step each comes from."""
    stmt = (_with_step(select(Task, StepRun.position, Step.instructions, Sequence.name))
            .where(Task.id.in_(_page_ids(owner, bucket, now, filters, limit, offset)))
            .options(*WITH_PROSPECT).order_by(*ORDER))
    tasks, steps = [], {}
    for task, position, instructions, sequence in session.execute(stmt):
        tasks.append(task)
        if position is not None:
            steps[task.id] = (position, instructions or "", sequence)
    return tasks, steps


def bucket_rows(session: Session, owner: User, bucket: str, now: datetime,
                filters: Filters | None = None) -> tuple[list[Row], dict[int, StepInfo]]:
    """The list's page as plain rows (id, type, title, due_at, prospect_title, company), no ORM objects: the
    list shows a few fields of thirty tasks, and building entities for them cost more than the query itself."""
    stmt = (_with_step(select(Task.id, Task.type, Task.title, Task.due_at, Prospect.title.label("prospect_title"),
                              Company.name.label("company"), StepRun.position, Step.instructions,
                              Sequence.name.label("sequence"))
                       .outerjoin(Prospect, Prospect.id == Task.prospect_id)
                       .outerjoin(Company, Company.id == Prospect.company_id))
            .where(Task.id.in_(_page_ids(owner, bucket, now, filters, PAGE, 0))).order_by(*ORDER))
    rows = list(session.execute(stmt))
    return rows, {r.id: (r.position, r.instructions or "", r.sequence) for r in rows if r.position is not None}


def task_for_panel(session: Session, task_id: int) -> Task | None:
    """One task with what its panel shows (prospect, company, persona) in one query."""
    return session.get(Task, task_id, options=WITH_PROSPECT)


def bucket_counts(session: Session, owner: User, now: datetime, filters: Filters | None = None) -> dict[str, int]:
    """Counts per bucket in one query (the navigation shows them)."""
    start, end = day_bounds(now, owner.timezone)
    stmt = _open_for(owner.id, filters or Filters()).with_only_columns(
        func.count(case((is_overdue(start), 1))),
        func.count(case(((Task.due_at >= start) & (Task.due_at < end), 1))),
        func.count(case((Task.due_at >= end, 1))))
    overdue, today, upcoming = session.execute(stmt).one()
    return {"today": today, "overdue": overdue, "upcoming": upcoming}


def step_context(session: Session, tasks: list[Task]) -> dict[int, StepInfo]:
    """task id -> its step, for tasks that come from a sequence step."""
    ids = [t.id for t in tasks if t.step_run_id]
    if not ids:
        return {}
    rows = session.execute(
        select(Task.id, StepRun.position, Step.instructions, Sequence.name)
        .join(StepRun, StepRun.id == Task.step_run_id).join(Step, Step.id == StepRun.step_id)
        .join(Sequence, Sequence.id == Step.sequence_id).where(Task.id.in_(ids)))
    return {tid: (pos, text or "", name) for tid, pos, text, name in rows}


def team_counts(session: Session, users: list[User], now: datetime) -> list[dict]:
    """Per rep: open, overdue (before the rep's own today) and completed today; one query per time zone."""
    by_zone: dict[str, list[User]] = {}
    for user in users:
        by_zone.setdefault(user.timezone, []).append(user)
    found: dict[int | None, dict] = {}  # keyed by Task.owner_id, a nullable column
    for zone, members in by_zone.items():
        start, _ = day_bounds(now, zone)
        rows = session.execute(
            select(Task.owner_id,
                   func.count(case((Task.status == TaskStatus.OPEN, 1))),
                   func.count(case((is_overdue(start), 1))),
                   func.count(case(((Task.status != TaskStatus.OPEN) & (Task.completed_at >= start), 1))))
            .where(Task.owner_id.in_([u.id for u in members]),
                   (Task.status == TaskStatus.OPEN) | (Task.completed_at >= start))
            .group_by(Task.owner_id))
        for owner_id, open_, overdue, done in rows:
            found[owner_id] = {"open": open_, "overdue": overdue, "completed_today": done}
    return [{"user_id": u.id, "name": u.name or u.email,
             **found.get(u.id, {"open": 0, "overdue": 0, "completed_today": 0})} for u in users]
