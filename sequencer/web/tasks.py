"""The rep's own open task queue, bucketed by the rep's calendar day (not UTC's)."""
from __future__ import annotations

from datetime import datetime, time, timedelta

from flask import render_template
from flask_login import current_user, login_required
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from sequencer import clock
from sequencer.extensions import db
from sequencer.models import Event, Opportunity, Prospect, Step, StepRun, Task, TaskStatus, User
from sequencer.models.tasks import TaskType
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


def deal_context(tasks: list[Task]) -> dict[int, dict]:
    """Per task: its deal (stale reminders, or an open deal at the prospect's company), or an offer to create
    one when the prospect booked a meeting or replied positively (two queries for the whole queue)."""
    prospects = {t.prospect_id: t.prospect for t in tasks if t.prospect_id}
    opp_ids = {t.opportunity_id for t in tasks if t.opportunity_id}
    companies = {p.company_id for p in prospects.values() if p.company_id}
    cond = Opportunity.id.in_(opp_ids) | Opportunity.prospect_id.in_(prospects) | Opportunity.company_id.in_(companies)
    deals = db.session.scalars(select(Opportunity).where(cond).order_by(Opportunity.id)).all() \
        if opp_ids or prospects else []
    by_id = {o.id: o for o in deals}
    open_by_prospect, open_by_company = {}, {}
    for o in deals:
        if not o.stage.is_closed:
            open_by_prospect.setdefault(o.prospect_id, o)
            open_by_company.setdefault(o.company_id, o)
    warm: dict[int, str] = {}
    if prospects:
        for pid, kind in db.session.execute(select(Event.prospect_id, Event.kind).where(
                Event.prospect_id.in_(prospects), (Event.kind == "meeting_booked") | (
                    (Event.kind == "replied") & (Event.payload["sentiment"].as_string() == "positive"))).distinct()):
            if warm.get(pid) != "meeting booked":
                warm[pid] = "meeting booked" if kind == "meeting_booked" else "positive reply"
    out = {}
    for t in tasks:
        p = prospects.get(t.prospect_id)
        deal = by_id.get(t.opportunity_id) or (p and (open_by_prospect.get(p.id) or open_by_company.get(p.company_id)
                                                      if p.company_id else open_by_prospect.get(p.id)))
        if deal is not None:
            out[t.id] = {"deal": deal}
        elif p is not None and (p.id in warm or t.type == TaskType.REPLY_FOLLOWUP):
            out[t.id] = {"offer": True, "why": warm.get(p.id, "replied")}
    return out


@web_bp.route("/tasks")
@login_required
def tasks():
    now = clock.now()
    buckets = bucketed_tasks(current_user, now)
    every = [t for b in buckets.values() for t in b]
    return render_template("web/tasks.html", buckets=buckets, deals=deal_context(every),
                           instructions=step_instructions([t for b in buckets.values() for t in b]),
                           today=now.astimezone(zone(current_user.timezone)))
