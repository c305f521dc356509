"""Settings → Forms (managers, admins): build a form, see how to put it on a site, its recent submissions with
the owner chosen and why, and the report. Handlers parse the page's fields, call sequencer.forms, commit."""
from __future__ import annotations

from datetime import timedelta

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _, lazy_gettext
from flask_login import current_user
from sqlalchemy import func, select

from sequencer.errors import Invalid
from sequencer.extensions import db
from sequencer.forms import definitions, report
from sequencer.models import Form, FormSubmission, Sequence, SequenceStatus, User
from sequencer.platform import clock
from sequencer.web import web_bp
from sequencer.web.access import MANAGERS, roles_required

RULE_ROWS = 3
#: What the page shows for stored values (a submission's status and flags, a routing rule's field)
STATUS_LABELS = {"received": lazy_gettext("received"), "processing": lazy_gettext("processing"),
                 "processed": lazy_gettext("processed"), "duplicate": lazy_gettext("duplicate"),
                 "pending_confirmation": lazy_gettext("pending confirmation")}
FLAG_LABELS = {"role_address": lazy_gettext("role address"), "disposable_address": lazy_gettext("disposable address"),
               "unverified_timing": lazy_gettext("unverified timing")}
#: A refusal names the page's fields as the page does (API field names stay in the API)
FIELD_NAMES = {"name": lazy_gettext("Form name"), "kind": lazy_gettext("Kind"), "consent_text": lazy_gettext("Consent text"),
               "thank_you": lazy_gettext("Thank-you message"), "redirect_url": lazy_gettext("…or redirect to"),
               "content_url": lazy_gettext("File to deliver (content download)"),
               "booking_url": lazy_gettext("Booking link (demo request)"),
               "allowed_origins": lazy_gettext("Sites allowed to embed it"), "sequence_id": lazy_gettext("Then enrol in"),
               "routing.daily_cap": lazy_gettext("Daily cap per rep"), "fields": lazy_gettext("Fields")}
ROUTE_LABELS = {"country": lazy_gettext("country"), "persona": lazy_gettext("persona"),
                "company_size": lazy_gettext("company size"), "form": lazy_gettext("form")}


def _int(value: str | None) -> int | None:
    value = (value or "").strip()
    return int(value) if value.isdigit() and len(value) < 10 else None


def _fields(f) -> list[dict]:
    out = [{"name": "email", "label": f.get("label_email") or str(definitions.DEFAULT_LABELS["email"]), "required": True}]
    for name in definitions.STANDARD[1:]:
        if f.get(f"use_{name}"):
            out.append({"name": name, "label": f.get(f"label_{name}") or str(definitions.DEFAULT_LABELS[name]),
                        "required": bool(f.get(f"req_{name}"))})
    for line in f.get("custom_fields", "").splitlines():
        key, _, label = line.partition(":")
        if key.strip():
            out.append({"name": key.strip().lower(), "label": label.strip() or key.strip(),
                        "maps_to": f"custom:{key.strip().lower()}"})
    return out


def _routing(f) -> dict:
    rules = [{"field": f.get(f"rule_field_{i}"), "in": [v.strip() for v in f.get(f"rule_in_{i}", "").split(",")
                                                         if v.strip()], "user_id": _int(f.get(f"rule_user_{i}"))}
             for i in range(RULE_ROWS) if f.get(f"rule_in_{i}", "").strip()]
    pool = [{"user_id": _int(key.removeprefix("weight_")), "weight": _int(value)}
            for key, value in f.items() if key.startswith("weight_") and _int(value)]
    return {"rules": rules, "round_robin": pool, "daily_cap": _int(f.get("daily_cap"))}


def _data() -> dict:
    f = request.form
    return {"name": f.get("name", ""), "kind": f.get("kind", ""), "fields": _fields(f),
            "consent_text": f.get("consent_text", ""), "thank_you": f.get("thank_you", ""),
            "redirect_url": f.get("redirect_url") or None, "content_url": f.get("content_url") or None,
            "booking_url": f.get("booking_url") or None, "double_opt_in": bool(f.get("double_opt_in")),
            "allowed_origins": [o.strip() for o in f.get("allowed_origins", "").split() if o.strip()],
            "sequence_id": _int(f.get("sequence_id")), "routing": _routing(f),
            "escalation": {k: _int(f.get(k)) for k in definitions.ESCALATION}}


def _edit_page(form: Form | None, error: Invalid | None = None, status: int = 200):
    users = list(db.session.scalars(select(User).where(User.active.is_(True)).order_by(User.name, User.email)))
    sequences = list(db.session.scalars(select(Sequence).where(Sequence.status == SequenceStatus.ACTIVE)
                                        .order_by(Sequence.name)))
    subs, rows, speed = [], [], []
    if form is not None and form.id:
        subs = list(db.session.scalars(select(FormSubmission).where(FormSubmission.form_id == form.id)
                                       .order_by(FormSubmission.id.desc()).limit(25)))
        end = clock.now()
        rows = [r for r in report.by_form(db.session, end - timedelta(days=90), end) if r["form_id"] == form.id]
        speed = report.speed_to_lead(db.session, end - timedelta(days=90), end, form.id)
    links = definitions.urls(form, current_app.config["BASE_URL"]) if form is not None and form.id else None
    return render_template("web/forms/edit.html", tab="forms", form=form, users=users, sequences=sequences,
                           kinds=definitions.KIND_LABELS, standard=definitions.STANDARD[1:], rule_rows=RULE_ROWS,
                           route_fields=definitions.ROUTE_FIELDS, links=links, subs=subs, rows=rows, speed=speed,
                           owners={u.id: u for u in users}, error=error, labels=definitions.DEFAULT_LABELS,
                           statuses=STATUS_LABELS, flags=FLAG_LABELS, route_labels=ROUTE_LABELS,
                           field_names=FIELD_NAMES), status


@web_bp.route("/settings/forms")
@roles_required(*MANAGERS)
def settings_forms():
    counts = dict(db.session.execute(select(FormSubmission.form_id, func.count(FormSubmission.id))
                                     .group_by(FormSubmission.form_id)).all())
    return render_template("web/forms/list.html", tab="forms", forms=definitions.listing(db.session), counts=counts,
                           kinds=definitions.KIND_LABELS)


@web_bp.route("/settings/forms/new")
@roles_required(*MANAGERS)
def settings_form_new():
    return _edit_page(None)


@web_bp.post("/settings/forms/new")
@roles_required(*MANAGERS)
def settings_form_create():
    try:
        form = definitions.create(db.session, _data(), current_user)
    except Invalid as exc:
        db.session.rollback()
        return _edit_page(Form(**_data()), exc, 422)  # not added to the session: only shown again
    db.session.commit()
    flash(_("Form created. Put it on your site with one of the three snippets below."), "success")
    return redirect(url_for("web.settings_form", form_id=form.id))


@web_bp.route("/settings/forms/<int:form_id>")
@roles_required(*MANAGERS)
def settings_form(form_id: int):
    return _edit_page(definitions.get(db.session, form_id))


@web_bp.post("/settings/forms/<int:form_id>")
@roles_required(*MANAGERS)
def settings_form_update(form_id: int):
    form = definitions.get(db.session, form_id)
    try:
        definitions.update(db.session, form, _data(), current_user)
    except Invalid as exc:
        db.session.rollback()
        return _edit_page(definitions.get(db.session, form_id), exc, 422)
    db.session.commit()
    flash(_("Form saved."), "success")
    return redirect(url_for("web.settings_form", form_id=form.id))
