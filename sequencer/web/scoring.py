"""Lead scoring pages: Hot leads for reps, the rules editor with its dry run for managers, the prospects CSV."""
from __future__ import annotations

import json

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from sequencer.errors import DomainError
from sequencer.extensions import db, redis_store
from sequencer.models import Sequence
from sequencer.people.search import ProspectFilters, matching_ids, rows_of
from sequencer.platform import clock
from sequencer.platform.csv_export import to_csv
from sequencer.scoring import config, explain, hot, rescore
from sequencer.scoring.rollup import company_scores
from sequencer.web import web_bp
from sequencer.web.access import MANAGERS, roles_required
from sequencer.web.locale import say
from sequencer.web.refusals import field_errors

CSV_LIMIT = 50_000


@web_bp.app_template_global()
def score_why(prospect_id: int, limit: int = 3) -> str:
    """The reasons line for one prospect (task panel, deal page): "+25 demo request, 3 days ago · ..."."""
    now = clock.now()
    return say(explain.summary(explain.reasons(db.session, prospect_id, now), now, limit))


@web_bp.app_template_global()
def company_score_of(company_id: int | None) -> dict | None:
    return company_scores(db.session, [company_id]).get(company_id) if company_id else None


@web_bp.route("/hot-leads")
@login_required
def hot_leads():
    now = clock.now()
    rows = hot.hot_leads(db.session, current_user.id, now)
    why = {p.id: explain.summary(explain.reasons(db.session, p.id, now), now, 3) for p in rows}
    return render_template("web/scoring/hot_leads.html", rows=rows, why=why, days=hot.RECENT_DAYS,
                           companies=company_scores(db.session, [p.company_id for p in rows]))


def _form_data(form) -> dict:
    """The editor's fields as the rule set `config.check` reads; the rules and groups arrive as JSON text."""
    def number(name: str):
        value = (form.get(name) or "").strip()
        return int(value) if value.lstrip("-").isdigit() else (value or None)

    try:
        rules, groups = json.loads(form.get("rules") or "[]"), json.loads(form.get("groups") or "[]")
    except ValueError as exc:
        raise DomainError(f"rules: not valid JSON ({exc})", [{"field": "rules", "message": _("not valid JSON: %(problem)s", problem=str(exc))}]) \
            from None
    decay = {"points": number("decay_points"), "idle_days": number("decay_days")} if form.get("decay_points") else {}
    sites = [s.strip() for s in (form.get("sites") or "").replace(",", "\n").splitlines() if s.strip()]
    return {"rules": rules, "groups": groups, "threshold": number("threshold"), "decay": decay,
            "fit_threshold": number("fit_threshold"),
            "handoff": {"sequence_id": number("sequence_id"), "exit_sequence_id": number("exit_sequence_id")},
            "tracking": {"enabled": bool(form.get("tracking_enabled")), "sites": sites}}


def _editor(values: dict, errors: dict | None = None, dry: dict | None = None, status: int = 200):
    sequences = db.session.scalars(select(Sequence).order_by(Sequence.name)).all()
    return render_template("web/scoring/rules.html", v=values, errors=errors or {}, dry=dry, sequences=sequences,
                           version=config.current(db.session).version,
                           rules_json=json.dumps(values["rules"], indent=2, ensure_ascii=False),
                           groups_json=json.dumps(values["groups"], indent=2, ensure_ascii=False)), status


@web_bp.route("/settings/scoring", methods=["GET", "POST"])
@roles_required(*MANAGERS)
def scoring_rules():
    if request.method == "GET":
        return _editor(config.current(db.session).as_dict())
    try:
        data = _form_data(request.form)
        if request.form.get("action") == "dry_run":
            return _editor({**data, "groups": data["groups"]}, dry=rescore.dry_run(
                db.session, config.preview(db.session, data)))
        rules = config.save(db.session, data, current_user)
        db.session.commit()
    except DomainError as exc:
        db.session.rollback()
        return _editor({**config.current(db.session).as_dict(), **_raw(request.form)}, field_errors(exc, "rules"),
                       status=422)
    if rescore.count(db.session) <= rescore.INLINE_LIMIT:
        rescore.rescore_all(db.session, clock.now(), rules)
        db.session.commit()
        flash(_("Scoring rules saved (version %(version)s); every prospect re-scored.", version=rules.version), "success")
    else:
        rescore.later(redis_store.connection())
        flash(_("Scoring rules saved (version %(version)s); prospects are being re-scored.", version=rules.version),
              "success")
    return redirect(url_for("web.scoring_rules"))


def _raw(form) -> dict:
    """What the manager typed, kept as text where it did not parse, so nothing is lost on a refusal."""
    out: dict = {}
    for key in ("rules", "groups"):
        try:
            out[key] = json.loads(form.get(key) or "[]")
        except ValueError:
            out[key] = form.get(key)
    return out


@web_bp.route("/prospects.csv")
@login_required
def prospects_csv():
    filters = ProspectFilters.from_args(request.args, me=current_user.id)
    ids = matching_ids(db.session, filters)[:CSV_LIMIT]
    header = ["Name", "Email", "Title", "Company", "Country", "Owner", "Status", "Engagement score", "Fit score",
              "Sales-ready", "Sales-ready since (UTC)", "Last activity (UTC)"]
    body = [[p.name, p.email, p.title, p.company.name if p.company else "", p.country, p.owner.name if p.owner else "",
             p.status.value, p.score_engagement, p.score_fit, p.sales_ready, _naive(p.sales_ready_at),
             _naive(p.last_activity_at)] for p in rows_of(db.session, ids)]
    return to_csv(header, body), 200, {"Content-Type": "text/csv; charset=utf-8",
                                       "Content-Disposition": 'attachment; filename="prospects.csv"'}


def _naive(moment):
    return moment.replace(tzinfo=None) if moment else None
