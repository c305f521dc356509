"""Profile: each user sets their own name, language and time zone (the language the whole UI then speaks)."""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _, refresh
from flask_login import current_user, login_required

from sequencer.accounts.profile import update_profile
from sequencer.errors import DomainError, http_status
from sequencer.extensions import db
from sequencer.platform.i18n import LOCALE_NAMES
from sequencer.platform.timezones import zone_names
from sequencer.web import web_bp
from sequencer.web.refusals import field_errors

FIELDS = ("name", "locale", "timezone")


def _page(values: dict | None = None, errors: dict | None = None, status: int = 200):
    user = current_user
    values = values or {"name": user.name, "locale": user.locale or "", "timezone": user.timezone}
    return render_template("web/accounts/profile.html", values=values, errors=errors or {},
                           languages=LOCALE_NAMES, zones=zone_names()), status


@web_bp.route("/profile", methods=["GET", "POST"])
@login_required
def profile():
    if request.method == "GET":
        return _page()
    values = {k: (request.form.get(k) or "").strip() for k in FIELDS}
    try:
        update_profile(db.session, current_user, values)
        db.session.commit()
    except DomainError as exc:
        db.session.rollback()
        return _page(values, {k: v for k, v in field_errors(exc).items() if k}, http_status(exc))
    refresh()  # the confirmation already speaks the newly chosen language
    flash(_("Your profile is saved."), "success")
    return redirect(url_for("web.profile"))
