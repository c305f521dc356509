"""Managers' team view: each rep's open, overdue and done-today counts; open any rep's queue and reassign."""
from __future__ import annotations

from datetime import date

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _, ngettext
from flask_login import current_user, login_required
from sqlalchemy import select

from sequencer.accounts.permissions import is_admin, is_rep
from sequencer.errors import DomainError, Invalid
from sequencer.extensions import db
from sequencer.models import TimeOff, User
from sequencer.platform import clock
from sequencer.tasks.outcomes import reassign
from sequencer.tasks.queue import team_counts
from sequencer.tasks.time_off import add_time_off, set_preferences
from sequencer.texts import tr
from sequencer.web import web_bp
from sequencer.web.access import MANAGERS, roles_required
from sequencer.web.locale import say
from sequencer.web.refusals import field_errors
from sequencer.web.tasks import queue_context, queue_owner, queue_state, queue_url


@web_bp.app_template_global()
def team_label(kind: str, n: int) -> str:
    """The word under a team card's count, agreeing with it (Lithuanian has three forms)."""
    if kind == "open":
        return ngettext("open", "open", n)
    if kind == "overdue":
        return ngettext("overdue", "overdue", n)
    return ngettext("done today", "done today", n)


def _people() -> list[User]:
    return list(db.session.scalars(select(User).where(User.active.is_(True)).order_by(User.name, User.id)))


@web_bp.route("/tasks/team")
@roles_required(*MANAGERS)
def team():
    people = _people()
    now = clock.now()
    away = {o.user_id: o for o in db.session.scalars(select(TimeOff).where(
        TimeOff.starts_on <= now.date(), TimeOff.ends_on >= now.date()))}
    # reps always; managers and admins only when they hold tasks
    rows = [r for r in team_counts(db.session, people, now)
            if r["open"] or r["completed_today"] or is_rep(next(u for u in people if u.id == r["user_id"]))]
    reps = {u.id: u for u in people}
    return render_template("web/tasks/team.html", rows=rows, reps=reps, away=away)


@web_bp.post("/tasks/reassign")
@roles_required(*MANAGERS)
def tasks_reassign():
    ids = [int(i) for i in request.form.getlist("ids") if i.isdigit()]
    owner_id = request.form.get("owner_id", type=int)
    state = queue_state(request.form)
    done = False
    try:
        if not ids:
            raise Invalid(tr("select tasks first"))
        moved = reassign(db.session, ids, owner_id or 0, current_user, clock.now())
    except DomainError as exc:
        db.session.rollback()
        message = _("Not reassigned: %(reason)s", reason=say(exc.details[0]["message"] if exc.details else exc.message))
    else:
        db.session.commit()
        done = True
        name = db.session.get_one(User, owner_id).name  # reassign checked it
        message = ngettext("Reassigned %(num)d task(s) to %(name)s", "Reassigned %(num)d task(s) to %(name)s", moved,
                           name=name)
    if request.headers.get("HX-Request"):
        return render_template("web/tasks/_task_queue.html", flash_message=message,
                               **queue_context(queue_owner(state), state))
    flash(message, "success" if done else "error")
    return redirect(queue_url(state))


@web_bp.route("/tasks/time-off", methods=["GET", "POST"])
@login_required
def time_off():
    """A rep's out-of-office days and what happens to their work meanwhile."""
    errors: dict[str, str] = {}
    if request.method == "POST":
        me = current_user
        delegate = request.form.get("time_off_delegate_id", type=int)
        try:
            set_preferences(db.session, me, tasks=request.form.get("time_off_tasks", "push"),
                            emails=request.form.get("time_off_emails") or "wait", delegate_id=delegate)
            starts, ends = date.fromisoformat(request.form.get("starts_on", "")), \
                date.fromisoformat(request.form.get("ends_on", ""))
            add_time_off(db.session, me, starts, ends, clock.now(), request.form.get("note", "")[:200])
        except ValueError:
            errors["starts_on"] = _("Pick both days.")
        except DomainError as exc:
            errors.update(field_errors(exc, "starts_on"))
        if not errors:
            db.session.commit()
            flash(_("Time off saved: your tasks and emails will wait for you."), "success")
            return redirect(url_for("web.time_off"))
        db.session.rollback()
    periods = db.session.scalars(select(TimeOff).where(TimeOff.user_id == current_user.id,
                                                       TimeOff.ends_on >= clock.now().date())
                                 .order_by(TimeOff.starts_on)).all()
    teammates = [u for u in _people() if u.id != current_user.id and not is_admin(u)]
    return render_template("web/tasks/time_off.html", periods=periods, teammates=teammates, errors=errors,
                           form=request.form), (422 if errors else 200)
