"""Settings → Users → one user: edit name, email, role, time zone and language, and reset their password (admins only).
Every problem with the form comes back at once, next to its field; nothing is saved until all are fixed."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from sequencer.accounts.user_edits import reset_password, update_user
from sequencer.errors import DomainError, http_status
from sequencer.extensions import db
from sequencer.models import Role, User
from sequencer.platform.i18n import LOCALE_NAMES
from sequencer.platform.timezones import zone_names
from sequencer.web import web_bp
from sequencer.web.access import ADMINS, roles_required
from sequencer.web.locale import say

FIELDS = ("name", "email", "role", "timezone", "locale")


def field_errors(exc: DomainError) -> dict[str, str]:
    """field -> message from a refusal's details (the form shows each next to its input), in the reader's language."""
    return {d["field"]: say(d["message"]) for d in exc.details if d.get("field")}


def _page(user: User, values: dict | None = None, errors: dict | None = None, status: int = 200):
    values = values or {"name": user.name, "email": user.email, "role": user.role.value, "timezone": user.timezone,
                        "locale": user.locale or ""}
    return render_template("web/accounts/settings_user_edit.html", tab="users", user=user, values=values,
                           errors=errors or {}, roles=list(Role), zones=zone_names(), languages=LOCALE_NAMES), status


@web_bp.route("/settings/users/<int:user_id>", methods=["GET", "POST"])
@roles_required(*ADMINS)
def settings_user_edit(user_id: int):
    user = db.session.get(User, user_id) or abort(404, _("No such user."))
    if request.method == "GET":
        return _page(user)
    values = {k: (request.form.get(k) or "").strip() for k in FIELDS if k in request.form or k != "locale"}
    try:
        update_user(db.session, user, current_user, values)
        db.session.commit()
    except DomainError as exc:
        db.session.rollback()
        return _page(db.session.get(User, user_id) or abort(404), values, field_errors(exc), http_status(exc))
    flash(_("Saved %(name)s.", name=user.name), "success")
    return redirect(url_for("web.settings"))


@web_bp.post("/settings/users/<int:user_id>/password")
@roles_required(*ADMINS)
def settings_user_password(user_id: int):
    user = db.session.get(User, user_id) or abort(404, _("No such user."))
    try:
        reset_password(db.session, user, request.form.get("password") or "", request.form.get("confirm") or "")
        db.session.commit()
    except DomainError as exc:
        db.session.rollback()
        return _page(db.session.get(User, user_id) or abort(404), errors=field_errors(exc), status=http_status(exc))
    flash(_("%(name)s's password was reset and their sessions ended. Share the new one with them directly.",
            name=user.name), "success")
    return redirect(url_for("web.settings"))
