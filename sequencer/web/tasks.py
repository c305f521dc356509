"""The rep's queue page: buckets in the rep's time zone, a detail panel, worked from the keyboard with htmx.

Every action answers with the re-rendered queue (list, counts and the next task's panel) so the rep
never waits for a page load; without htmx the same forms fall back to a redirect.
"""
from __future__ import annotations

from flask import abort, render_template, request, url_for
from flask_babel import lazy_gettext, ngettext
from flask_login import current_user, login_required
from sqlalchemy import func, select

from sequencer.accounts.permissions import is_rep, may_work_task
from sequencer.extensions import db
from sequencer.models import Event, Prospect, Sequence, Task, TaskStatus, User
from sequencer.models.tasks import TaskType
from sequencer.platform import clock
from sequencer.platform.timezones import day_bounds, zone
from sequencer.tasks.outcomes import outcomes_for
from sequencer.tasks.queue import Filters, bucket_counts, bucket_rows, step_context, task_for_panel
from sequencer.web import web_bp
from sequencer.web.task_deals import deal_context

LABELS = {"today": lazy_gettext("Today"), "overdue": lazy_gettext("Overdue"), "upcoming": lazy_gettext("Upcoming")}
OUTCOME_LABELS = {"done": lazy_gettext("Done"), "connected": lazy_gettext("Connected"),
                  "voicemail": lazy_gettext("Left voicemail"), "no_answer": lazy_gettext("No answer"),
                  "meeting_booked": lazy_gettext("Meeting booked"), "not_interested": lazy_gettext("Not interested"),
                  "wrong_person": lazy_gettext("Wrong person")}
SKIP_REASONS = (lazy_gettext("Not the right moment"), lazy_gettext("No valid phone number"),
                lazy_gettext("Already in touch another way"), lazy_gettext("Duplicate task"))
# what `|humanize` says for task types and the touches a panel lists (the catalogue needs each one marked)
HUMANIZED = (lazy_gettext("Todo"), lazy_gettext("Speed to lead"), lazy_gettext("Sales ready"),
             lazy_gettext("Reply followup"), lazy_gettext("Fix data"), lazy_gettext("Stale opportunity"),
             lazy_gettext("Task completed"), lazy_gettext("Task skipped"), lazy_gettext("Task snoozed"),
             lazy_gettext("Task note"), lazy_gettext("Task reopened"), lazy_gettext("Task reassigned"),
             lazy_gettext("Note"), lazy_gettext("Opened"), lazy_gettext("Clicked"), lazy_gettext("Replied"), lazy_gettext("Enrolled"),
             lazy_gettext("Meeting booked"), lazy_gettext("Connected"), lazy_gettext("Voicemail"),
             lazy_gettext("No answer"), lazy_gettext("Not interested"), lazy_gettext("Wrong person"))
TOUCHES = 6


@web_bp.app_template_global()
def bucket_count(bucket: str, n: int) -> str:
    """A queue tab's count said in words ("3 tasks due today"), with the reader's plural forms."""
    if bucket == "overdue":
        return ngettext("%(num)d task overdue", "%(num)d tasks overdue", n)
    if bucket == "upcoming":
        return ngettext("%(num)d task coming up", "%(num)d tasks coming up", n)
    return ngettext("%(num)d task due today", "%(num)d tasks due today", n)


def due_today_count(user: User) -> int:
    """Open tasks due by the end of the user's today (overdue included): the nav badge."""
    _, end = day_bounds(clock.now(), user.timezone)
    return db.session.scalar(select(func.count(Task.id)).where(
        Task.owner_id == user.id, Task.status == TaskStatus.OPEN, Task.due_at < end)) or 0


def queue_state(source) -> dict:
    """bucket, type and sequence filter from a query string or a form (the queue's state travels with every action)."""
    bucket = source.get("bucket") or "today"
    if bucket not in LABELS:
        bucket = "today"
    type_ = source.get("type") or None
    seq, owner = source.get("sequence_id") or "", source.get("owner") or ""
    return {"bucket": bucket, "type": type_ if type_ in TYPE_NAMES else None,
            "sequence_id": int(seq) if seq.isdigit() else None, "owner": int(owner) if owner.isdigit() else None}


@web_bp.app_template_global()
def queue_url(state: dict, **changes) -> str:
    """The queue's URL with its state, some of it changed (tabs keep the filters, filters keep the tab)."""
    merged = {**state, **changes}
    return url_for("web.tasks", **{k: v for k, v in merged.items() if v})


def queue_owner(state: dict) -> User:
    """Whose queue: one's own, or (managers and admins) any rep's."""
    if state["owner"] and state["owner"] != current_user.id:
        if is_rep(current_user):
            abort(403)
        owner = db.session.get(User, state["owner"])
        if owner is None:
            abort(404)
        return owner
    return current_user


TYPE_NAMES = tuple(t.value for t in TaskType)


def panel_context(task: Task | None, index: int = 0, steps: dict | None = None) -> dict:
    """Everything the detail panel shows without clicking away: prospect, local time, step, last touches."""
    if task is None:
        return {"task": None}
    prospect: Prospect | None = task.prospect
    now = clock.now()
    touches: list[Event] = []
    local = None
    if prospect is not None:
        touches = list(db.session.scalars(select(Event).where(Event.prospect_id == prospect.id)
                                          .order_by(Event.occurred_at.desc(), Event.id.desc()).limit(TOUCHES)))
        local = now.astimezone(zone(prospect.timezone, current_user.timezone))
    step = (steps if steps is not None else step_context(db.session, [task])).get(task.id)
    return {"task": task, "prospect": prospect, "touches": touches, "local": local, "step": step,
            "deal": deal_context([task]).get(task.id),
            "index": index, "outcomes": {k: OUTCOME_LABELS[k] for k in outcomes_for(task.type)},
            "skip_reasons": SKIP_REASONS,
            "now_local": now.astimezone(zone(current_user.timezone))}


def queue_context(owner: User, state: dict, selected_index: int = 0, selected_id: int | None = None,
                  error: str | None = None, oob: bool = False) -> dict:
    """The queue's template context; `oob` adds the sidebar badge for htmx answers (a full page draws its own)."""
    now = clock.now()
    filters = Filters(state["type"], state["sequence_id"])
    tasks, steps = bucket_rows(db.session, owner, state["bucket"], now, filters)
    counts = bucket_counts(db.session, owner, now, filters)
    mine = owner.id == current_user.id
    # the sidebar badge (overdue + today) is already counted when the rep looks at their whole queue
    badge = (counts["overdue"] + counts["today"] if filters == Filters() else due_today_count(owner)) if mine else None
    index = next((i for i, t in enumerate(tasks) if t.id == selected_id), None) if selected_id else None
    if index is None:
        index = min(selected_index, len(tasks) - 1) if tasks else 0
    selected = task_for_panel(db.session, tasks[index].id) if tasks else None
    sequences = db.session.execute(select(Sequence.id, Sequence.name).order_by(Sequence.name)).all()
    people = [] if is_rep(current_user) else db.session.scalars(
        select(User).where(User.active.is_(True), User.id != owner.id).order_by(User.name)).all()
    return {"tasks": tasks, "counts": counts, "state": state, "labels": LABELS, "owner": owner,
            "sequences": sequences, "people": people, "types": TYPE_NAMES, "steps": steps,
            "error": error, "oob": oob,
            "nav_count": badge if oob else None, **({"nav_task_count": lambda: badge} if mine else {}),
            "today": now.astimezone(zone(owner.timezone)), "viewer_tz": zone(current_user.timezone),
            **panel_context(selected, index, steps)}


@web_bp.route("/tasks")
@login_required
def tasks():
    state = queue_state(request.args)
    selected = request.args.get("task", type=int)
    ctx = queue_context(queue_owner(state), state, selected_id=selected)
    if request.headers.get("HX-Request") and request.headers.get("HX-Target") == "queue":
        return render_template("web/tasks/_task_queue.html", **ctx)
    return render_template("web/tasks/tasks.html", **ctx)


@web_bp.route("/tasks/<int:task_id>/panel")
@login_required
def task_panel(task_id: int):
    task = task_for_panel(db.session, task_id)
    if task is None:
        return render_template("web/tasks/_task_panel.html", task=None), 404
    if not may_work_task(current_user, task):
        abort(403)
    return render_template("web/tasks/_task_panel.html", state=queue_state(request.args),
                           **panel_context(task, request.args.get("index", 0, type=int)))


