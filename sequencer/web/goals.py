"""Goals pages: the list with the set-a-goal form (managers), one goal's plan, pace and what-if."""
from __future__ import annotations

import json
from contextlib import suppress
from datetime import date

from flask import jsonify, redirect, render_template, request, url_for
from flask_babel import lazy_gettext
from flask_login import current_user, login_required
from redis.exceptions import RedisError
from sqlalchemy import select

from sequencer.accounts.permissions import is_manager, planned_for_team_goals
from sequencer.errors import DomainError
from sequencer.extensions import db, redis_store
from sequencer.goals import funnel, service, views
from sequencer.models import User
from sequencer.platform import clock
from sequencer.platform.i18n import DEFAULT_LOCALE
from sequencer.web import web_bp
from sequencer.web.locale import current, say

BEHIND_CACHE_SECONDS = 300
STAGE_LABELS = {"won": lazy_gettext("Negotiation → won"), "negotiation": lazy_gettext("Proposal → negotiation"),
                "proposal": lazy_gettext("Needs analysis → proposal"),
                "needs_analysis": lazy_gettext("Qualification → needs analysis"),
                "qualification": lazy_gettext("Opportunity → qualified"),
                "opportunity": lazy_gettext("Meeting → opportunity"), "meeting": lazy_gettext("Reply → meeting"),
                "reply": lazy_gettext("First contact → reply"), "first_contact": lazy_gettext("Touch → first contact")}


def _number(raw: str | None) -> float | str | None:
    raw = (raw or "").strip().replace(",", ".")
    if not raw:
        return None
    try:
        return float(raw)
    except ValueError:
        return raw  # the service names the field


def _date(raw: str | None) -> date | None:
    try:
        return date.fromisoformat((raw or "").strip())
    except ValueError:
        return None


def _goal_data(form) -> dict:
    """The set-a-goal form as the service's plain values (percentages typed for rates)."""
    target = _number(form.get("target"))
    owner = form.get("owner_id", "").strip()
    assumptions: dict = {}
    for key in funnel.RATE_KEYS:
        value = _number(form.get(f"rate_{key}"))
        if value is not None:
            assumptions[key] = value / 100 if isinstance(value, float) else value
    for key in ("average_deal", "cycle_days"):
        value = _number(form.get(key))
        if value is not None:
            assumptions[key] = value
    weights = [_number(w) for w in form.get("weights", "").replace(";", " ").split()]
    window = form.get("window_days", "365").strip()
    return {"name": form.get("name", ""), "period_start": _date(form.get("period_start")),
            "period_end": _date(form.get("period_end")), "currency": form.get("currency", "EUR"),
            "target_amount": target if form.get("target_kind") != "deals" else None,
            "target_deals": (int(target) if isinstance(target, float) and target.is_integer() else target)
            if form.get("target_kind") == "deals" else None,
            "owner_id": int(owner) if owner.isdigit() and len(owner) < 10 else (None if not owner else -1),
            "assumptions": assumptions, "weights": weights,
            "window_days": int(window) if window.isdigit() and len(window) < 6 else -1}


SOURCE_NAMES = {"measured": lazy_gettext("measured"), "assumed": lazy_gettext("assumed"),
                "missing": lazy_gettext("missing"), "rep": lazy_gettext("rep"), "team": lazy_gettext("team"),
                "assumption": lazy_gettext("assumption"), "default": lazy_gettext("default"),
                "what_if": lazy_gettext("what if")}
FIELD_NAMES = {"name": lazy_gettext("Name"), "period_start": lazy_gettext("From"), "period_end": lazy_gettext("To"),
               "target_amount": lazy_gettext("Target"), "target_deals": lazy_gettext("Target"),
               "currency": lazy_gettext("Currency"), "owner_id": lazy_gettext("For"),
               "weights": lazy_gettext("Seasonality (one weight per month)"),
               "window_days": lazy_gettext("History measured (days)"),
               "assumptions": lazy_gettext("Assumptions, seasonality, window")}


def _field_names() -> dict:
    """The form's own labels for a refused field; English keeps the field's API name, as it always read."""
    return {} if current() == DEFAULT_LOCALE else FIELD_NAMES


def _list_page(errors: dict | None = None, status: int = 200):
    reps = db.session.scalars(select(User).where(planned_for_team_goals()).order_by(User.name))
    return render_template("web/goals/list.html", goals=views.visible_goals(db.session, current_user),
                           reps=list(reps), errors=errors or {}, values=request.form, stages=STAGE_LABELS,
                           field_names=_field_names(),
                           can_manage=is_manager(current_user)), status


@web_bp.route("/goals")
@login_required
def goals():
    return _list_page()


@web_bp.post("/goals")
@login_required
def goal_create():
    try:
        goal = service.create_goal(db.session, current_user, _goal_data(request.form), clock.now())
    except DomainError as exc:
        db.session.rollback()
        if exc.code == "forbidden":
            raise
        return _list_page({d.get("field", ""): say(d["message"]) for d in exc.details} or {"": say(exc.message)}, 422)
    db.session.commit()
    return redirect(url_for("web.goal_detail", goal_id=goal.id))


@web_bp.route("/goals/<int:goal_id>")
@login_required
def goal_detail(goal_id: int):
    goal = views.visible_goal(db.session, current_user, goal_id)
    doc = views.goal_with_pace(db.session, goal, clock.now())
    return render_template("web/goals/detail.html", goal=goal, doc=doc, stages=STAGE_LABELS,
                           plan_keys=funnel.PLAN_KEYS, source_names=SOURCE_NAMES)


@web_bp.post("/goals/<int:goal_id>/what-if")
@login_required
def goal_what_if(goal_id: int):
    """JSON for goals.js: the plan with the values the manager is trying (CSRF header, nothing stored)."""
    goal = views.visible_goal(db.session, current_user, goal_id)
    body = request.get_json(silent=True)
    return jsonify(views.what_if(db.session, goal, body if isinstance(body, dict) else {}, clock.now()))


def _cached(key: str, compute):
    """A plan measures the whole history, so what the queue and the home page show is kept in Redis for a few
    minutes: pages stay fast, and pace moves by the day, not by the minute. Without Redis it is computed each time."""
    conn = None
    with suppress(RedisError):
        conn = redis_store.connection()
        cached = conn.get(key)
        if cached is not None:
            return json.loads(cached)
    value = compute()
    if conn is not None:
        with suppress(RedisError):
            conn.set(key, json.dumps(value), ex=BEHIND_CACHE_SECONDS)
    return value


@web_bp.app_template_global()
def behind_pace_notes() -> list[str]:
    """The current user's behind-pace lines for the task queue banner (empty for managers and on pace)."""
    if not current_user.is_authenticated or is_manager(current_user):
        return []
    locale = current()
    return list(_cached(f"goals:behind:{current_user.id}",
                        lambda: views.behind_notes(db.session, current_user, clock.now(), locale)))


@web_bp.app_template_global()
def team_goal_pace() -> list[dict]:
    """The manager home's "activity vs plan": each running goal's pace and who is behind this week."""
    if not current_user.is_authenticated or not is_manager(current_user):
        return []
    return list(_cached(f"goals:team-pace:{current_user.id}",
                        lambda: views.team_pace(db.session, current_user, clock.now())))
