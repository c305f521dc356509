"""Settings → API tokens: every user's own tokens (name, created, last used, expiry), new ones shown once."""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from sequencer.accounts import tokens as token_service
from sequencer.errors import DomainError, http_status
from sequencer.extensions import db
from sequencer.web import web_bp
from sequencer.web.refusals import refusal_text


def tokens_page(new_token: str | None = None, error: str | None = None, values: dict | None = None,
                status: int = 200):
    rows = token_service.list_tokens(db.session, current_user)
    return render_template("web/accounts/settings_tokens.html", tab="tokens", tokens=rows, new_token=new_token,
                           error=error, values=values or {}, expired=token_service.is_expired), status


def _days(raw: str) -> object:
    raw = raw.strip()
    return int(raw) if raw.isdigit() else (raw or None)  # anything else is refused by the service, by name


@web_bp.route("/settings/tokens")
@login_required
def settings_tokens():
    return tokens_page()


@web_bp.post("/settings/tokens")
@login_required
def settings_create_token():
    """The token is in this answer only (not flashed, not stored): the page says to copy it now."""
    values = {"name": request.form.get("name", ""), "expires_in_days": request.form.get("expires_in_days", "")}
    try:
        _, token = token_service.issue_token(db.session, current_user, values["name"],
                                             _days(values["expires_in_days"]))
        db.session.commit()
    except DomainError as exc:
        db.session.rollback()
        return tokens_page(error=refusal_text(exc), values=values, status=http_status(exc))
    response = tokens_page(new_token=token)
    return response[0], 200, {"Cache-Control": "no-store"}


@web_bp.post("/settings/tokens/<int:token_id>/revoke")
@login_required
def settings_revoke_token(token_id: int):
    row = token_service.revoke_token(db.session, current_user, token_id)  # NotFound → the 404 page
    db.session.commit()
    flash(_("Token %(name)s revoked: it no longer works.", name=row.name or row.prefix + "…"), "success")
    return redirect(url_for("web.settings_tokens"))
