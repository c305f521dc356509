"""Admin settings: users, sending mailboxes (with a live SMTP test) and workspace defaults.

Handlers only parse the form, call the shared services and commit; every refusal is shown
next to the form it came from, after a rollback, so a bad entry never half-saves.
"""
from __future__ import annotations

import re

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from sequencer.accounts import users as user_service
from sequencer.accounts.workspace import clean_link_domains, get_workspace, set_default_locale
from sequencer.errors import DomainError, Invalid, http_status
from sequencer.extensions import db
from sequencer.inbound.bounces import mailbox_health
from sequencer.inbound.imap import flagged
from sequencer.inbound.imap_settings import check_imap
from sequencer.mail import mailboxes as mailbox_service
from sequencer.mailauth import apps as oauth_apps
from sequencer.models import Mailbox, Role, User
from sequencer.models.mail import SmtpSecurity, Transport
from sequencer.platform import clock
from sequencer.platform.i18n import weekday_names
from sequencer.platform.security import SecretBox
from sequencer.platform.timezones import zone_names
from sequencer.texts import tr
from sequencer.web import web_bp
from sequencer.web.access import ADMINS, roles_required
from sequencer.web.locale import current
from sequencer.web.refusals import flash_refusal, refusal_text
from sequencer.web.settings_users import field_errors

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
MAILBOX_FIELDS = ("email", "name", "transport", "smtp_host", "smtp_port", "smtp_username", "smtp_password",
                  "smtp_security", "daily_limit", "min_interval_seconds", "owner_id", "imap_host", "imap_port",
                  "imap_username", "imap_password", "imap_security", "imap_folders")
PASSWORDS = ("smtp_password", "imap_password")
HHMM = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")


def secrets() -> SecretBox:
    return SecretBox(current_app.config["SECRET_KEY"])


def _render(template: str, status: int = 200, **context):
    return render_template(template, tab=template.rsplit("/", 1)[-1].removeprefix("settings_")[:-5],
                           **context), status


# ---- users -------------------------------------------------------------------------------------

def users_page(error: str | None = None, values: dict | None = None, status: int = 200, errors: dict | None = None):
    return _render("web/accounts/settings_users.html", status,
                   users=user_service.list_users(db.session, current()),
                   roles=list(Role), error=error, values=values or {}, errors=errors or {}, zones=zone_names())


@web_bp.route("/settings")
@roles_required(*ADMINS)
def settings():
    return users_page()


@web_bp.post("/settings/users")
@roles_required(*ADMINS)
def settings_create_user():
    form = request.form
    try:
        user = user_service.create_user(
            db.session, email=form.get("email", ""), role=form.get("role", ""),
            password=form.get("password", ""), name=form.get("name", ""),
            timezone=(form.get("timezone") or "Europe/Vilnius").strip())
        db.session.commit()
    except DomainError as exc:
        db.session.rollback()
        values = {k: v for k, v in form.items() if k not in ("password", "csrf_token")}
        return users_page(error=refusal_text(exc), values=values, status=http_status(exc), errors=field_errors(exc))
    flash(_("User %(email)s created. Share the temporary password with them directly.", email=user.email), "success")
    return redirect(url_for("web.settings"))


@web_bp.post("/settings/users/<int:user_id>/active")
@roles_required(*ADMINS)
def settings_user_active(user_id: int):
    user = db.session.get(User, user_id) or abort(404, _("No such user."))
    active = request.form.get("active") == "1"
    try:
        user_service.set_active(db.session, user, active, actor=current_user)
        db.session.commit()
    except DomainError as exc:
        flash_refusal(exc)
    else:
        flash(_("%(name)s is now active.", name=user.name) if active
              else _("%(name)s is now deactivated.", name=user.name), "success")
    return redirect(url_for("web.settings"))


# ---- mailboxes ---------------------------------------------------------------------------------

def mailbox_form_data() -> dict:
    """The posted mailbox fields; an empty password is dropped so the stored one is kept."""
    data = {f: request.form.get(f, "").strip() for f in MAILBOX_FIELDS if f in request.form}
    for field in PASSWORDS:
        if not data.get(field):
            data.pop(field, None)
    return data


def imap_state(mailbox: Mailbox) -> dict:
    """The mailbox's inbound polling as an admin reads it: not set, not checked yet, ok, failing, or flagged."""
    from flask_babel import gettext as _, ngettext

    if not mailbox.imap_host:
        return {"kind": "off", "text": _("not set")}
    if flagged(mailbox):
        return {"kind": "flagged",
                "text": _("flagged: %(error)s", error=mailbox.imap_error or _("polling keeps failing"))}
    if mailbox.imap_failures:
        return {"kind": "failing", "text": ngettext("last poll failed (%(num)d in a row): %(error)s",
                                                    "last poll failed (%(num)d in a row): %(error)s",
                                                    mailbox.imap_failures, error=mailbox.imap_error)}
    if mailbox.imap_checked_at is None:
        return {"kind": "pending", "text": _("not checked yet")}
    return {"kind": "ok", "text": _("ok"), "at": mailbox.imap_checked_at}


def mailboxes_page(error: str | None = None, values: dict | None = None, status: int = 200):
    rows = db.session.scalars(select(Mailbox).options(joinedload(Mailbox.owner)).order_by(Mailbox.email)).all()
    return _render("web/mail/settings_mailboxes.html", status, mailboxes=rows, users=user_service.list_users(db.session),
                   error=error, values=values or {}, transports=list(Transport), securities=list(SmtpSecurity),
                   imap_state=imap_state, oauth_providers=oauth_apps.overview(db.session))


@web_bp.route("/settings/mailboxes")
@roles_required(*ADMINS)
def settings_mailboxes():
    return mailboxes_page()


@web_bp.post("/settings/mailboxes")
@roles_required(*ADMINS)
def settings_create_mailbox():
    from flask_babel import gettext as _

    from sequencer.web.form_refusals import said_refusal

    data = mailbox_form_data()
    try:
        mailbox = mailbox_service.create_mailbox(db.session, data, secrets())
        db.session.commit()
    except DomainError as exc:
        db.session.rollback()
        for field in PASSWORDS:
            data.pop(field, None)
        return mailboxes_page(error=said_refusal(exc), values=data, status=http_status(exc))
    flash(_("Mailbox %(email)s added.", email=mailbox.email), "success")
    return redirect(url_for("web.settings_mailboxes"))


def edit_page(mailbox: Mailbox, error: str | None = None, status: int = 200):
    values = mailbox_service.serialize_mailbox(mailbox)
    return _render("web/mail/settings_mailbox_edit.html", status, mailbox=mailbox, values=values, error=error,
                   users=user_service.list_users(db.session), transports=list(Transport),
                   securities=list(SmtpSecurity), imap=imap_state(mailbox),
                   health=mailbox_health.health(db.session, mailbox, clock.now()),
                   per_day=mailbox_health.per_day(db.session, mailbox.id, clock.now()))


@web_bp.route("/settings/mailboxes/<int:mailbox_id>", methods=["GET", "POST"])
@roles_required(*ADMINS)
def settings_edit_mailbox(mailbox_id: int):
    from flask_babel import gettext as _

    from sequencer.web.form_refusals import said_refusal

    mailbox = db.session.get(Mailbox, mailbox_id) or abort(404, _("No such mailbox."))
    if request.method == "GET":
        return edit_page(mailbox)
    try:
        mailbox_service.update_mailbox(db.session, mailbox, mailbox_form_data(), secrets())
        db.session.commit()
    except DomainError as exc:
        db.session.rollback()
        return edit_page(db.session.get_one(Mailbox, mailbox_id), error=said_refusal(exc), status=http_status(exc))
    flash(_("Mailbox %(email)s saved.", email=mailbox.email), "success")
    return redirect(url_for("web.settings_mailboxes"))


@web_bp.post("/settings/mailboxes/<int:mailbox_id>/test")
@roles_required(*ADMINS)
def settings_test_mailbox(mailbox_id: int):
    """Sends one real message and shows the server's answer; htmx swaps just the result box."""
    from flask_babel import gettext as _

    from sequencer.accounts.locales import locale_for
    from sequencer.web.form_refusals import said_refusal
    from sequencer.web.locale import say

    mailbox = db.session.get(Mailbox, mailbox_id) or abort(404, _("No such mailbox."))
    to = request.form.get("to", "").strip()
    try:
        to = user_service.normalize_email(to, "to")
    except DomainError as exc:
        result = mailbox_service.TestResult(False, said_refusal(exc))
    else:
        result = mailbox_service.send_test_email(mailbox, to, secrets(), locale_for(db.session, email=to))
        db.session.commit()  # an OAuth mailbox may have refreshed its token, or learnt it must be reconnected
    if request.headers.get("HX-Request"):
        return render_template("web/mail/_test_result.html", result=result)
    flash(say(result.message), "success" if result.ok else "error")
    return redirect(url_for("web.settings_edit_mailbox", mailbox_id=mailbox.id))


@web_bp.post("/settings/mailboxes/<int:mailbox_id>/imap-test")
@roles_required(*ADMINS)
def settings_test_imap(mailbox_id: int):
    """Logs in to the saved IMAP server and shows its answer; htmx swaps just the result box."""
    from flask_babel import gettext as _

    from sequencer.web.locale import say

    mailbox = db.session.get(Mailbox, mailbox_id) or abort(404, _("No such mailbox."))
    result = mailbox_service.TestResult(*check_imap(mailbox, secrets()))
    db.session.commit()  # as for the SMTP test: keep what an OAuth login learnt
    if request.headers.get("HX-Request"):
        return render_template("web/mail/_test_result.html", result=result)
    flash(say(result.message), "success" if result.ok else "error")
    return redirect(url_for("web.settings_edit_mailbox", mailbox_id=mailbox.id))


# ---- workspace ---------------------------------------------------------------------------------

def clean_schedule(form, current: dict) -> dict:
    """The default schedule from the form; raises Invalid naming the bad field."""
    days = [d for d in DAYS if d in form.getlist("days")]
    if not days:
        raise Invalid.field("days", tr("pick at least one sending day"))
    start, end = form.get("window_start", "").strip(), form.get("window_end", "").strip()
    for name, value in (("window_start", start), ("window_end", end)):
        if not HHMM.match(value):
            raise Invalid.field(name, tr("use HH:MM, e.g. 09:00"))
    if start >= end:
        raise Invalid.field("window_end", tr("must be after the window start"))
    tz = user_service.check_timezone(form.get("fallback_timezone", "").strip(), "fallback_timezone")
    return {**current, "days": days, "window_start": start, "window_end": end, "fallback_timezone": tz}


@web_bp.route("/settings/workspace", methods=["GET", "POST"])
@roles_required(*ADMINS)
def settings_workspace():
    ws = get_workspace(db.session)
    if request.method == "POST":
        try:
            schedule = clean_schedule(request.form, dict(ws.default_schedule or {}))
            ws.company_name = request.form.get("company_name", "").strip()
            ws.postal_address = request.form.get("postal_address", "").strip()
            ws.default_schedule = schedule
            ws.reply_stops_company = request.form.get("reply_stops_company") == "1"
            ws.tracked_link_domains = clean_link_domains(request.form.get("tracked_link_domains", ""))
            if "default_locale" in request.form:
                set_default_locale(ws, request.form.get("default_locale", ""))
            if "sender_rejection_threshold" in request.form:
                mailbox_health.set_pause_rule(db.session, request.form.get("sender_rejection_threshold", ""),
                                              request.form.get("sender_rejection_window_minutes", ""))
            db.session.commit()
        except DomainError as exc:
            db.session.rollback()
            return _render("web/accounts/settings_workspace.html", http_status(exc), ws=get_workspace(db.session),
                           days=_days(), error=refusal_text(exc), form=request.form)
        flash(_("Workspace settings saved."), "success")
        return redirect(url_for("web.settings_workspace"))
    db.session.commit()  # get_workspace may have created the row
    return _render("web/accounts/settings_workspace.html", ws=ws, days=_days(), error=None, form=None)


def _days() -> list[tuple[str, str]]:
    """(code, the reader's short name) Monday first."""
    return list(zip(DAYS, weekday_names(current()), strict=True))
