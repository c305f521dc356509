"""The prospect page's own touches: log a call, add a note (tasks/logged.py), send a one-off email (mail/one_off.py).
Thin: parse the form, call the service."""
from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from sequencer.errors import DomainError, Forbidden
from sequencer.extensions import db, redis_store
from sequencer.mail import one_off
from sequencer.models import Prospect
from sequencer.platform import clock
from sequencer.tasks.logged import add_note, log_call
from sequencer.web import web_bp
from sequencer.web.locale import say
from sequencer.web.prospects import prospect_page


def _done(prospect_id: int, action, message: str):
    prospect = db.session.get(Prospect, prospect_id) or abort(404, _("No such prospect."))
    try:
        action(prospect)
        db.session.commit()
    except Forbidden as exc:
        db.session.rollback()
        abort(403, say(exc.message))
    except DomainError as exc:
        db.session.rollback()
        flash(_("Not saved: %(reason)s", reason=say(exc.details[0]["message"] if exc.details else exc.message)), "error")
    else:
        flash(message, "success")
    return redirect(url_for("web.prospect_detail", prospect_id=prospect_id) + "#timeline")


@web_bp.post("/prospects/<int:prospect_id>/calls")
@login_required
def prospect_log_call(prospect_id: int):
    outcome, notes = request.form.get("outcome", ""), request.form.get("notes", "")
    return _done(prospect_id, lambda p: log_call(db.session, p, current_user, outcome, notes, clock.now()),
                 _("Call logged: %(outcome)s.", outcome=_(outcome.replace("_", " ").capitalize()).lower()))


@web_bp.post("/prospects/<int:prospect_id>/notes")
@login_required
def prospect_add_note(prospect_id: int):
    note = request.form.get("note", "")
    return _done(prospect_id, lambda p: add_note(db.session, p, current_user, note, clock.now()), _("Note added."))


def _mailbox_id(raw: str | None) -> int | None:
    return int(raw) if raw and raw.isdigit() else None


@web_bp.post("/prospects/<int:prospect_id>/emails")
@login_required
def prospect_send_email(prospect_id: int):
    """A one-off email: saved and checked here, sent by its job; a refusal re-shows the page with the fields kept."""
    prospect = db.session.get(Prospect, prospect_id) or abort(404, _("No such prospect."))
    values = {k: request.form.get(k, "") for k in ("mailbox_id", "subject", "body")}
    try:
        row = one_off.create(db.session, prospect, current_user, _mailbox_id(values["mailbox_id"]), values["subject"],
                             values["body"], base_url=current_app.config["BASE_URL"],
                             secret=current_app.config["SECRET_KEY"], now=clock.now())
        db.session.commit()
    except Forbidden as exc:
        db.session.rollback()
        abort(403, say(exc.message))
    except DomainError as exc:
        db.session.rollback()
        errors = {d["field"]: say(d["message"]) for d in exc.details} or {"form": say(exc.message)}
        return prospect_page(prospect_id, {"fields": values, "errors": errors}), 422
    one_off.enqueue(redis_store.connection(current_app), row.id)
    flash(_("Email to %(email)s queued: it goes out in a moment and shows on the timeline once sent.",
            email=prospect.email), "success")
    return redirect(url_for("web.prospect_detail", prospect_id=prospect_id) + "#timeline")


@web_bp.post("/prospects/<int:prospect_id>/emails/preview")
@login_required
def prospect_preview_email(prospect_id: int):
    """The one-off as it would go out (htmx fragment), or the refusal in words; nothing is saved."""
    prospect = db.session.get(Prospect, prospect_id) or abort(404, _("No such prospect."))
    try:
        shown = one_off.preview(db.session, prospect, current_user, _mailbox_id(request.form.get("mailbox_id")),
                                request.form.get("subject", ""), request.form.get("body", ""),
                                base_url=current_app.config["BASE_URL"], secret=current_app.config["SECRET_KEY"])
        problem = None
    except Forbidden as exc:
        abort(403, say(exc.message))
    except DomainError as exc:
        shown, problem = None, say(exc.details[0]["message"] if exc.details else exc.message)
    finally:
        db.session.rollback()
    return render_template("web/people/_prospect_email_preview.html", shown=shown, problem=problem)
