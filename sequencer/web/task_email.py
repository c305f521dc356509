"""The manual email editor: the rendered step, edited by the rep, sent through the real pipeline."""
from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from sequencer.accounts.permissions import may_work_task
from sequencer.errors import DomainError
from sequencer.extensions import db
from sequencer.mail.sending import settings_for
from sequencer.models import Enrollment, Mailbox, Task
from sequencer.platform import clock
from sequencer.tasks.manual_email import draft, send
from sequencer.web import web_bp
from sequencer.web.locale import say
from sequencer.web.tasks import panel_context


def _task(task_id: int) -> Task:
    task = db.session.get(Task, task_id)
    if task is None:
        abort(404)
    if not may_work_task(current_user, task):
        abort(403)
    return task


@web_bp.route("/tasks/<int:task_id>/email", methods=["GET", "POST"])
@login_required
def task_email(task_id: int):
    task = _task(task_id)
    error = None
    if request.method == "POST":
        subject, body = request.form.get("subject", ""), request.form.get("body", "")
        try:
            run = send(db.session, task, current_user, subject, body, settings_for(current_app.config), clock.now())
        except DomainError as exc:
            db.session.rollback()
            error = say(exc.details[0]["message"] if exc.details else exc.message)
            content = {"subject": subject, "body": body, "variant": None}
        else:
            to = task.prospect.email if task.prospect is not None else _("the prospect")
            flash(_("Sent to %(to)s: “%(subject)s”", to=to, subject=run.subject), "success")
            return redirect(url_for("web.tasks"))
    else:
        try:
            content = draft(db.session, task, current_app.config["BASE_URL"])
        except DomainError as exc:
            abort(409, say(exc.message))
        problem = say(content["problem"]) if content.get("problem") else None
        if problem:
            flash(problem[:1].upper() + problem[1:] + ".", "error")
    return render_template("web/tasks/task_email.html", content=content, error=error, mailbox=_mailbox(task),
                           **panel_context(task)), (422 if error else 200)


def _mailbox(task: Task) -> Mailbox | None:
    enrollment = db.session.get(Enrollment, task.enrollment_id) if task.enrollment_id else None
    return enrollment.mailbox if enrollment else None
