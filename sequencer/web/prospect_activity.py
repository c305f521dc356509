"""The prospect page's own touches: log a call, add a note. Thin: parse the form, call tasks/logged.py."""
from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from sequencer.errors import DomainError, Forbidden
from sequencer.extensions import db
from sequencer.models import Prospect
from sequencer.platform import clock
from sequencer.tasks.logged import add_note, log_call
from sequencer.web import web_bp
from sequencer.web.locale import say


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
