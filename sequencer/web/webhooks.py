"""Settings → Webhooks (managers, admins): endpoints, their secret (shown once), rotation, the delivery log with
filters, and replay of one delivery or a time range. Handlers parse, call sequencer.webhooks, commit."""
from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _, lazy_gettext as _l, ngettext
from flask_login import current_user

from sequencer.errors import DomainError, Invalid
from sequencer.extensions import db
from sequencer.platform import clock
from sequencer.platform.security import SecretBox
from sequencer.texts import tr
from sequencer.web import web_bp
from sequencer.web.access import MANAGERS, roles_required
from sequencer.web.form_refusals import said_refusal
from sequencer.web.refusals import flash_refusal
from sequencer.webhooks import endpoints, log
from sequencer.webhooks.catalogue import TYPES
from sequencer.webhooks.guard import AllowList

PER_PAGE = 50
DELIVERY_STATUSES = {"pending": _l("Pending"), "delivered": _l("Delivered"), "failed": _l("Failed")}


def delivery_status(value: str) -> str:
    """A delivery's status as the log's filter and pill say it."""
    label = DELIVERY_STATUSES.get(value)
    return str(label) if label is not None else value.capitalize()


def _allow() -> AllowList:
    return AllowList.parse(current_app.config.get("WEBHOOK_ALLOWED_PRIVATE"))


def _box() -> SecretBox:
    return SecretBox(current_app.config["SECRET_KEY"])


def _form() -> dict:
    f = request.form
    return {"url": f.get("url", ""), "events": [e.strip() for e in f.get("events", "").split(",") if e.strip()],
            "description": f.get("description", ""), "enabled": f.get("enabled") == "1"}


def _list_page(secret: str | None = None, error: str | None = None, values: dict | None = None, status: int = 200):
    return render_template("web/webhooks/list.html", tab="webhooks", types=TYPES, secret=secret, error=error,
                           values=values or {}, hooks=endpoints.listing(db.session, current_user)), status


@web_bp.route("/settings/webhooks")
@roles_required(*MANAGERS)
def settings_webhooks():
    return _list_page()


@web_bp.post("/settings/webhooks")
@roles_required(*MANAGERS)
def settings_webhook_create():
    data = {**_form(), "enabled": True}  # a new endpoint starts enabled
    try:
        endpoint, secret = endpoints.create(db.session, current_user, data, _allow(), _box(), clock.now())
    except DomainError as exc:
        db.session.rollback()
        return _list_page(error=said_refusal(exc), values={**data, "events": ", ".join(data["events"])}, status=422)
    db.session.commit()
    return _show_secret_once(endpoint.id, secret, created=True)


def _show_secret_once(endpoint_id: int, secret: str, created: bool = False):
    """Redirect (so a reload can't repeat the POST); the next page shows the secret once, from the session,
    where it sits encrypted until then."""
    session["webhook_secret"] = {"id": endpoint_id, "secret": _box().encrypt(secret), "created": created}
    return redirect(url_for("web.settings_webhook", endpoint_id=endpoint_id))


def _when(raw: str | None) -> datetime | None:
    """A datetime-local from the form, read in the viewer's time zone."""
    if not raw:
        return None
    try:
        local = datetime.fromisoformat(raw)
    except ValueError:
        raise Invalid.field("since", tr("%(value)s is not a date and time", value=repr(raw))) from None
    zone = ZoneInfo(getattr(current_user, "timezone", None) or "UTC")
    return local.replace(tzinfo=zone).astimezone(UTC) if local.tzinfo is None else local


def _detail(endpoint_id: int, secret: str | None = None, created: bool = False, status: int = 200):
    endpoint = endpoints.get(db.session, current_user, endpoint_id)
    args = request.args
    filters = {"status": args.get("status") or None, "type": args.get("type") or None}
    query = log.deliveries_query(db.session, current_user, endpoint_id, filters["status"], filters["type"])
    rows = [(d, e) for d, e in db.session.execute(query.limit(PER_PAGE))]
    attempts = log.attempts_of(db.session, [d.id for d, _ in rows])
    deliveries = [log.as_dict(d, e, attempts[d.id]) for d, e in rows]
    return render_template("web/webhooks/detail.html", tab="webhooks", hook=endpoint, secret=secret,
                           created=created, deliveries=deliveries, filters=filters, types=TYPES,
                           statuses=log.STATUSES, delivery_status=delivery_status), status


@web_bp.route("/settings/webhooks/<int:endpoint_id>")
@roles_required(*MANAGERS)
def settings_webhook(endpoint_id: int):
    once = session.pop("webhook_secret", None)
    if once and once.get("id") == endpoint_id:
        return _detail(endpoint_id, secret=_box().decrypt(once["secret"]), created=bool(once.get("created")))
    return _detail(endpoint_id)


@web_bp.post("/settings/webhooks/<int:endpoint_id>")
@roles_required(*MANAGERS)
def settings_webhook_update(endpoint_id: int):
    try:
        endpoints.update(db.session, current_user, endpoint_id, _form(), _allow())
        db.session.commit()
        flash(_("Webhook saved."), "success")
    except DomainError as exc:
        flash_refusal(exc)
    return redirect(url_for("web.settings_webhook", endpoint_id=endpoint_id))


@web_bp.post("/settings/webhooks/<int:endpoint_id>/rotate")
@roles_required(*MANAGERS)
def settings_webhook_rotate(endpoint_id: int):
    _, secret = endpoints.rotate(db.session, current_user, endpoint_id, _box(), clock.now())
    db.session.commit()
    return _show_secret_once(endpoint_id, secret)


@web_bp.post("/settings/webhooks/<int:endpoint_id>/delete")
@roles_required(*MANAGERS)
def settings_webhook_delete(endpoint_id: int):
    endpoints.delete(db.session, current_user, endpoint_id)
    db.session.commit()
    flash(_("Webhook deleted."), "success")
    return redirect(url_for("web.settings_webhooks"))


@web_bp.post("/settings/webhooks/<int:endpoint_id>/deliveries/<int:delivery_id>/replay")
@roles_required(*MANAGERS)
def settings_webhook_replay(endpoint_id: int, delivery_id: int):
    log.replay(db.session, current_user, endpoint_id, delivery_id, clock.now())
    db.session.commit()
    flash(_("The delivery goes out again shortly, with the same webhook-id."), "success")
    return redirect(url_for("web.settings_webhook", endpoint_id=endpoint_id))


@web_bp.post("/settings/webhooks/<int:endpoint_id>/replay")
@roles_required(*MANAGERS)
def settings_webhook_replay_range(endpoint_id: int):
    try:
        since, until = _when(request.form.get("since")), _when(request.form.get("until"))
        if since is None or until is None:
            raise Invalid.field("since", tr("give the start and the end of the range"))
        n = log.replay_range(db.session, current_user, endpoint_id, since, until, clock.now())
        db.session.commit()
        flash(ngettext("%(num)d delivery goes out again shortly.", "%(num)d deliveries go out again shortly.", n),
              "success")
    except DomainError as exc:
        flash_refusal(exc)
    return redirect(url_for("web.settings_webhook", endpoint_id=endpoint_id))
