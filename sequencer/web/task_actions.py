"""Queue actions from the UI: complete, skip, snooze, note, bulk. Thin: parse the form, call the service, re-render."""
from __future__ import annotations

from datetime import datetime, time, timedelta

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _, ngettext
from flask_login import current_user, login_required
from sqlalchemy import select

from sequencer.accounts.permissions import may_work_task
from sequencer.errors import DomainError, Forbidden, Invalid, NotFound
from sequencer.extensions import db
from sequencer.models import Task, User
from sequencer.platform import clock
from sequencer.platform.timezones import zone
from sequencer.tasks.outcomes import UNDO_SECONDS, add_note, bulk, complete, load_task, skip, snooze
from sequencer.tasks.undo import undo
from sequencer.texts import tr
from sequencer.web import web_bp
from sequencer.web.locale import current as current_locale, say, when
from sequencer.web.tasks import OUTCOME_LABELS, panel_context, queue_context, queue_owner, queue_state, queue_url


def _task(task_id: int) -> Task:
    """The task under its row lock, as the API takes it: a second click or tab waits, then sees it closed."""
    try:
        return load_task(db.session, task_id, current_user, for_update=True)
    except NotFound:
        abort(404)
    except Forbidden:
        abort(403)


def _owner_of(task: Task | None) -> User:
    """The queue to show after an action: the one the form came from."""
    return queue_owner(queue_state(request.form))


def _answer(owner: User, done_message: str, undoable: Task | None = None) -> ResponseReturnValue:
    """The fresh queue (htmx) with the task now at the same place selected, or a redirect; a task just closed
    is offered back (Undo) for a few seconds."""
    db.session.commit()
    state = queue_state(request.form)
    if not request.headers.get("HX-Request"):
        flash(done_message, "success")
        return redirect(queue_url(state))
    ctx = queue_context(owner, state, selected_index=request.form.get("index", 0, type=int), oob=True)
    return render_template("web/tasks/_task_queue.html", flash_message=done_message, undoable=undoable,
                           undo_seconds=UNDO_SECONDS, **ctx)


def _refused(task: Task, exc: DomainError) -> ResponseReturnValue:
    """The panel again with the reason (the rep's input kept), swapped in place of the panel."""
    db.session.rollback()
    message = say(exc.details[0]["message"] if exc.details else exc.message)
    if not request.headers.get("HX-Request"):
        flash(_("Not saved: %(reason)s", reason=message), "error")
        return redirect(url_for("web.tasks", task=task.id))
    html = render_template("web/tasks/_task_panel.html", state=queue_state(request.form), error=message,
                           **panel_context(db.session.get(Task, task.id), request.form.get("index", 0, type=int)))
    return Response(html, status=200, headers={"HX-Retarget": "#panel", "HX-Reswap": "innerHTML"})


@web_bp.post("/tasks/<int:task_id>/complete")
@login_required
def task_complete(task_id: int):
    task = _task(task_id)
    outcome = request.form.get("outcome", "")
    try:
        complete(db.session, task, current_user, outcome, request.form.get("notes", "").strip() or None,
                 clock.now(), referral=bool(request.form.get("referral")))
    except DomainError as exc:
        return _refused(task, exc)
    said = outcome.replace("_", " ") if _english() else str(OUTCOME_LABELS.get(outcome, outcome)).lower()
    return _answer(_owner_of(task), f"{task.title}: {said}", undoable=task)


@web_bp.post("/tasks/<int:task_id>/skip")
@login_required
def task_skip(task_id: int):
    task = _task(task_id)
    try:
        skip(db.session, task, current_user, request.form.get("reason", ""), clock.now())
    except DomainError as exc:
        return _refused(task, exc)
    return _answer(_owner_of(task), _("Skipped: %(title)s", title=task.title), undoable=task)


@web_bp.post("/tasks/<int:task_id>/undo")
@login_required
def task_undo(task_id: int):
    task = _task(task_id)
    try:
        undo(db.session, task, current_user, clock.now())
    except DomainError as exc:
        return _refused(task, exc)
    return _answer(_owner_of(task), _("Undone: %(title)s is open again", title=task.title))


def _english() -> bool:
    return current_locale() == "en"


def snooze_until(choice: str, custom: str, now: datetime, timezone: str) -> datetime | None:
    """A preset (1h, tomorrow 09:00, Monday 09:00) or a local datetime typed by the rep, in the rep's zone."""
    tz = zone(timezone)
    local = now.astimezone(tz)
    if choice == "1h":
        return now + timedelta(hours=1)
    if choice == "tomorrow":
        return datetime.combine(local.date() + timedelta(days=1), time(9), tzinfo=tz)
    if choice == "monday":
        return datetime.combine(local.date() + timedelta(days=7 - local.weekday()), time(9), tzinfo=tz)
    try:
        return datetime.fromisoformat(custom).replace(tzinfo=tz) if custom else None
    except ValueError:
        return None


@web_bp.post("/tasks/<int:task_id>/snooze")
@login_required
def task_snooze(task_id: int):
    task = _task(task_id)
    until = snooze_until(request.form.get("choice", ""), request.form.get("until", ""), clock.now(),
                         current_user.timezone)
    try:
        if until is None:
            raise Invalid.field("until", tr("pick a moment"))
        snooze(db.session, task, current_user, until, clock.now())
    except DomainError as exc:
        return _refused(task, exc)
    return _answer(_owner_of(task), _("Snoozed until %(when)s",
                                      when=when(until, "%a %d %b, %H:%M", zone(current_user.timezone))))


@web_bp.post("/tasks/<int:task_id>/note")
@login_required
def task_note(task_id: int):
    task = _task(task_id)
    try:
        add_note(db.session, task, current_user, request.form.get("note", ""), clock.now())
    except DomainError as exc:
        return _refused(task, exc)
    db.session.commit()
    state = queue_state(request.form)
    if not request.headers.get("HX-Request"):
        return redirect(url_for("web.tasks", task=task.id))
    return render_template("web/tasks/_task_panel.html", state=state, saved=_("Note saved"),
                           **panel_context(task, request.form.get("index", 0, type=int)))


@web_bp.post("/tasks/bulk")
@login_required
def tasks_bulk():
    ids = [int(i) for i in request.form.getlist("ids") if i.isdigit()]
    action = request.form.get("action", "")
    owner = _owner_of(None)
    try:
        if not ids:
            raise Invalid(tr("select tasks first"))
        for task in db.session.scalars(select(Task).where(Task.id.in_(ids))):
            if not may_work_task(current_user, task):
                abort(403)
        result = bulk(db.session, ids, current_user, clock.now(), action=action,
                      outcome="done", reason=request.form.get("reason", "") or _("Skipped in bulk"))
    except DomainError as exc:
        db.session.rollback()
        return _answer(owner, _("Not saved: %(reason)s", reason=say(exc.message)))
    n = len(result["done"])
    if action == "complete":
        return _answer(owner, ngettext("Completed %(num)d task(s)", "Completed %(num)d task(s)", n))
    return _answer(owner, ngettext("Skipped %(num)d task(s)", "Skipped %(num)d task(s)", n))
