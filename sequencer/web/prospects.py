"""Prospect search (filters + pagination in SQL), the prospect page with its enrolments, and the
create/edit form (the same service as the API, with each bad field marked inline)."""
from __future__ import annotations

import gettext
import json
from datetime import datetime
from functools import lru_cache
from zoneinfo import available_timezones

import pycountry
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _, lazy_gettext
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from sequencer.accounts.permissions import is_rep, may_edit_prospect, may_manage_enrollment
from sequencer.deals.deals import open_deal_for
from sequencer.errors import DomainError, Invalid, http_status
from sequencer.extensions import db
from sequencer.mail.one_off import usable_mailboxes
from sequencer.models import Enrollment, Event, Persona, Prospect, ProspectStatus, Sequence, StepRun, User
from sequencer.models.tasks import TaskType
from sequencer.outreach.view import serialize_enrollment
from sequencer.people.prospects import create_prospect, update_prospect
from sequencer.people.search import NAME_SORTS, PER_PAGE, ProspectFilters, search_prospects
from sequencer.people.shown_status import suppressed_prospects
from sequencer.people.validation import FIELDS
from sequencer.platform import clock
from sequencer.platform.collation import by_name, lt_sort_key
from sequencer.platform.paging import Sort
from sequencer.platform.timezones import zone
from sequencer.scoring import explain
from sequencer.tasks.outcomes import outcomes_for
from sequencer.web import web_bp
from sequencer.web.listing import Listing, check_page, requested_page
from sequencer.web.locale import current as current_locale, say
from sequencer.web.tasks import OUTCOME_LABELS
from sequencer.web.timeline import enrollment_causes, message_notes

TEXT_FIELDS = ("email", "first_name", "last_name", "title", "company", "company_domain", "timezone", "country",
               "city", "language", "phone", "linkedin_url")
EXIT_REASONS = {
    "manual": lazy_gettext("Stopped by hand"), "meeting_booked": lazy_gettext("Meeting booked"),
    "not_interested": lazy_gettext("Not interested"), "wrong_person": lazy_gettext("Wrong person"),
    "bad_timing": lazy_gettext("Bad timing"), "replied_elsewhere": lazy_gettext("Replied another way"),
}

# the call outcomes' words (web/tasks.py holds them), marked for the prospect page's "Log a call"
CALL_OUTCOME_WORDS = (lazy_gettext("Done"), lazy_gettext("Connected"), lazy_gettext("Left voicemail"),
                      lazy_gettext("No answer"))
STEP_WORDS = (lazy_gettext("Pending"),)
# Python's JSON reader's reasons, said in the reader's language on the custom fields box
JSON_PROBLEMS = {"Expecting value": lazy_gettext("Expecting value"),
                 "Expecting property name enclosed in double quotes":
                     lazy_gettext("Expecting property name enclosed in double quotes"),
                 "Expecting ',' delimiter": lazy_gettext("Expecting ',' delimiter"),
                 "Expecting ':' delimiter": lazy_gettext("Expecting ':' delimiter"),
                 "Extra data": lazy_gettext("Extra data"), "Unterminated string starting at":
                     lazy_gettext("Unterminated string starting at")}  # a step not yet scheduled, as the enrolment's steps show it



def filter_choices() -> dict:
    return {
        "personas": db.session.scalars(select(Persona).order_by(by_name(db.session, Persona.name, current_locale()))).all(),
        "owners": db.session.scalars(select(User).order_by(by_name(db.session, User.name, current_locale()))).all(),
        "countries": list(db.session.scalars(
            select(Prospect.country).where(Prospect.country.is_not(None)).distinct().order_by(Prospect.country))),
        "statuses": list(ProspectStatus),
    }


@web_bp.route("/prospects")
@login_required
def prospects():
    filters = ProspectFilters.from_args(request.args, me=current_user.id)
    page = requested_page()
    rows, total = search_prospects(db.session, filters, page, locale=current_locale())
    check_page(page, total, PER_PAGE)
    listing = Listing(rows, total, page, PER_PAGE, Sort.parse(filters.sort, NAME_SORTS, "name"))
    into = db.session.get(Sequence, request.args.get("into", type=int) or 0)  # "Add prospects" from a sequence
    return render_template("web/people/prospects.html", prospects=rows, total=total, listing=listing,
                           suppressed=suppressed_prospects(db.session, rows),
                           filters=filters, per_page=PER_PAGE, into=into, **filter_choices())


# ---- the prospect page ---------------------------------------------------------------------------

def prospect_history(prospect_id: int) -> tuple[list[Enrollment], list[Event]]:
    enrollments = db.session.scalars(
        select(Enrollment).where(Enrollment.prospect_id == prospect_id)
        .options(joinedload(Enrollment.sequence).selectinload(Sequence.steps),
                 selectinload(Enrollment.step_runs).joinedload(StepRun.step),
                 selectinload(Enrollment.step_runs).joinedload(StepRun.variant),
                 joinedload(Enrollment.mailbox))
        .order_by(Enrollment.created_at.desc())
    ).unique().all()
    events = db.session.scalars(
        select(Event).where(Event.prospect_id == prospect_id)
        .order_by(Event.occurred_at.desc(), Event.id.desc()).limit(200)
    ).all()
    return list(enrollments), list(events)


def _local(value: str | None, tz) -> datetime | None:
    """The moment in `tz`; as stored (UTC) at the very end of the calendar, where `tz` would pass year 9999."""
    if not value:
        return None
    moment = datetime.fromisoformat(value)
    try:
        return moment.astimezone(tz)
    except OverflowError:
        return moment


def enrollment_views(enrollments: list[Enrollment], prospect: Prospect) -> list[dict]:
    """`serialize_enrollment` with its times turned into the prospect's own zone for display."""
    now = clock.now()
    tz = zone(prospect.timezone, (enrollments[0].sequence.schedule or {}).get("fallback_timezone", "UTC")
              if enrollments else "UTC")
    out = []
    for e in enrollments:
        data = serialize_enrollment(e, now)
        for step in data["steps"]:
            step["due_local"] = _local(step["due_at"], tz)
            step["projected_local"] = _local(step["projected_at"], tz)
            step["done_local"] = _local(step["done_at"], tz)
        data["paused_until_local"] = _local(data["paused_until"], tz)
        data["next_due_local"] = _local(data["next_due_at"], tz)
        out.append({"e": e, "view": data, "can_act": may_manage_enrollment(current_user, e)})
    return out


@web_bp.route("/prospects/<int:prospect_id>")
@login_required
def prospect_detail(prospect_id: int):
    return prospect_page(prospect_id)


def prospect_page(prospect_id: int, email_form: dict | None = None):
    """The page; `email_form` keeps a refused one-off email's fields and says what to fix."""
    prospect = db.session.scalars(
        select(Prospect).where(Prospect.id == prospect_id)
        .options(joinedload(Prospect.company), joinedload(Prospect.persona), joinedload(Prospect.owner))
    ).first()
    if prospect is None:
        abort(404, _("No such prospect."))
    enrollments, events = prospect_history(prospect.id)
    step_names = {s.id: s for e in enrollments for s in e.sequence.steps}
    seq_ids = {e.sequence_id for e in events if e.sequence_id}
    seq_names = dict(db.session.execute(
        select(Sequence.id, Sequence.name).where(Sequence.id.in_(seq_ids))).all()) if seq_ids else {}
    local_now = clock.now().astimezone(zone(prospect.timezone)) if prospect.timezone else None
    views = enrollment_views(enrollments, prospect)
    notes = message_notes(events, prospect, current_user, {v["e"].id for v in views if v["can_act"]})
    return render_template("web/people/prospect_detail.html", p=prospect, enrollments=views,
                           events=events, local_now=local_now, steps=step_names, seq_names=seq_names,
                           can_edit=may_edit_prospect(current_user, prospect), today=clock.now().date().isoformat(),
                           open_deal=open_deal_for(db.session, prospect), exit_reasons=EXIT_REASONS, notes=notes,
                           causes=enrollment_causes(events, enrollments), **score_context(prospect),
                           suppressed=suppressed_prospects(db.session, [prospect]),
                           call_outcomes={k: _(str(OUTCOME_LABELS[k])) for k in outcomes_for(TaskType.CALL)},
                           mailboxes=usable_mailboxes(db.session, current_user),
                           email_form=email_form or {"fields": {}, "errors": {}})


def score_context(prospect: Prospect) -> dict:
    """The lead score panel: the reasons behind the number, newest first, and their one-line summary."""
    reasons = explain.reasons(db.session, prospect.id, clock.now())
    return {"score_reasons": reasons, "score_summary": explain.summary(reasons, clock.now())}


# ---- create / edit ---------------------------------------------------------------------------------

@lru_cache(maxsize=1)
def timezone_names() -> list[str]:
    return sorted(z for z in available_timezones() if "/" in z and not z.startswith(("Etc/", "SystemV/", "posix/")))


@lru_cache(maxsize=4)
def country_choices(locale: str = "en") -> list[tuple[str, str]]:
    """(code, name) in the reader's language (pycountry's own ISO 3166 catalogues) and alphabetical order."""
    names = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[locale], fallback=True)
    found = [(c.alpha_2, names.gettext(c.name)) for c in pycountry.countries]
    return sorted(found, key=lambda c: lt_sort_key(c[1]) if locale == "lt" else c[1])


def form_values(prospect: Prospect | None) -> dict:
    """What the form shows for an existing prospect (or the defaults for a new one)."""
    if prospect is None:
        return {"status": "active", "owner_id": str(current_user.id), "fields": "{}"}
    return {
        **{f: getattr(prospect, f) or "" for f in TEXT_FIELDS if hasattr(Prospect, f)},
        "company": prospect.company.name if prospect.company else "",
        "company_domain": (prospect.company.domain or "") if prospect.company else "",
        "persona": prospect.persona.key if prospect.persona else "",
        "owner_id": str(prospect.owner_id or ""), "status": prospect.status.value,
        "fields": json.dumps(prospect.fields or {}, ensure_ascii=False, indent=2),
    }


def form_data(prospect: Prospect | None, errors: dict) -> dict:
    """The posted form as service input: empty → None; unchanged company left alone on edit."""
    form = request.form
    data: dict = {f: form.get(f, "").strip() or None for f in TEXT_FIELDS}
    data["first_name"] = data["first_name"] or ""
    data["last_name"] = data["last_name"] or ""
    data["persona"] = form.get("persona") or None
    data["status"] = form.get("status") or "active"
    if not is_rep(current_user):
        data["owner_id"] = form.get("owner_id") or None
    elif prospect is None:
        data["owner_id"] = current_user.id
    raw = form.get("fields", "").strip() or "{}"
    try:
        data["fields"] = json.loads(raw)
    except json.JSONDecodeError as exc:
        errors["fields"] = _("not valid JSON: %(problem)s (line %(line)s)", problem=JSON_PROBLEMS.get(exc.msg, exc.msg),
                             line=exc.lineno)
        data.pop("fields", None)
    except ValueError as exc:  # valid JSON Python won't read, e.g. an integer of 5,000 digits
        errors["fields"] = _("not valid JSON: %(problem)s", problem=str(exc))
        data.pop("fields", None)
    if prospect is not None and prospect.company is not None and \
            (data["company"] or "") == prospect.company.name and (data["company_domain"] or "") == (prospect.company.domain or ""):
        data.pop("company"), data.pop("company_domain")
    return data


def render_form(prospect: Prospect | None, values: dict, errors: dict, status: int = 200, duplicate: int | None = None):
    return render_template("web/people/prospect_form.html", p=prospect, values=values, errors=errors, duplicate=duplicate,
                           personas=db.session.scalars(select(Persona).order_by(
                               by_name(db.session, Persona.name, current_locale()))).all(),
                           owners=db.session.scalars(select(User).where(User.active.is_(True)).order_by(
                               by_name(db.session, User.name, current_locale()))).all(),
                           statuses=list(ProspectStatus), timezones=timezone_names(),
                           countries=country_choices(current_locale()), field_order=FIELDS), status


def save_form(prospect: Prospect | None):
    errors: dict[str, str] = {}
    data = form_data(prospect, errors)
    values = {k: v for k, v in request.form.items() if k != "csrf_token"}
    duplicate = None
    try:
        if prospect is None:
            saved = create_prospect(db.session, data, current_user)
        else:
            saved = update_prospect(db.session, prospect, data, current_user)
        if errors:
            raise Invalid(_("fix the marked fields"))
        db.session.commit()
    except DomainError as exc:
        db.session.rollback()
        if http_status(exc) == 403:
            abort(403, say(exc.message))
        if exc.code == "duplicate":
            duplicate = exc.extra.get("existing_id")
            errors["email"] = _("Another prospect already has this email.")
        for d in exc.details:
            errors.setdefault(d["field"], say(d["message"]))
        fresh = db.session.get(Prospect, prospect.id) if prospect is not None else None
        return render_form(fresh, values, errors, 409 if duplicate else 422, duplicate)
    flash(_("%(name)s created.", name=saved.name) if prospect is None else _("%(name)s saved.", name=saved.name), "success")
    return redirect(url_for("web.prospect_detail", prospect_id=saved.id))


@web_bp.route("/prospects/new", methods=["GET", "POST"])
@login_required
def prospect_new():
    if request.method == "POST":
        return save_form(None)
    return render_form(None, form_values(None), {})


@web_bp.route("/prospects/<int:prospect_id>/edit", methods=["GET", "POST"])
@login_required
def prospect_edit(prospect_id: int):
    prospect = db.session.get(Prospect, prospect_id) or abort(404, _("No such prospect."))
    if not may_edit_prospect(current_user, prospect):
        abort(403, _("Reps can edit only the prospects they own."))
    if request.method == "POST":
        return save_form(prospect)
    return render_form(prospect, form_values(prospect), {})
