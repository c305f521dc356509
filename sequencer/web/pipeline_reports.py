"""Pipeline reports (a rep: their own deals; managers: anyone's or the team's) (conversion, deal value, cycle, win rate, lost reasons, quarters) and stale rules."""
from __future__ import annotations

from datetime import UTC, datetime

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required
from sqlalchemy import select

from sequencer.accounts.workspace import get_workspace
from sequencer.deals.stale import RULE_STAGES, clean_rules, rules_of
from sequencer.errors import DomainError
from sequencer.extensions import db
from sequencer.models import Sequence
from sequencer.platform import clock
from sequencer.platform.csv_export import to_csv
from sequencer.platform.timezones import local_date
from sequencer.reports.pipeline import (
    conversion,
    load_deals,
    lost_reasons,
    previous_quarters,
    quarter_bounds,
    quarter_view,
    report_currency,
    summary,
)
from sequencer.web import web_bp
from sequencer.web.access import MANAGERS, roles_required
from sequencer.web.locale import say
from sequencer.web.pages import humanize, viewer_zone
from sequencer.web.pipeline import lost_reason_label
from sequencer.web.report_filters import ReportFilters, owner_choices, report_filters

QUARTERS_SHOWN = 4
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)  # a range with only an end date starts here


def _figures(filters: ReportFilters) -> dict:
    """The figures for the request's owner; "all time" becomes the chosen date range when one is given."""
    deals = load_deals(db.session, filters.owner_id)
    currency = report_currency(deals)
    today = local_date(clock.now(), viewer_zone())
    quarters = [quarter_view(deals, currency, *q) for q in previous_quarters(today, QUARTERS_SHOWN)]
    start, end, label = quarter_bounds(today)
    scope = filters.scope
    dated = scope.since is not None or scope.until is not None
    span = (scope.since or EPOCH, scope.until) if dated else ()
    return {"currency": currency, "conversion": conversion(deals), "quarters": quarters, "quarter_label": label,
            "this_quarter": summary(deals, currency, start, end), "all_time": summary(deals, currency, *span),
            "range_label": "in the chosen range" if dated else "all time", "dated": dated,
            "lost": lost_reasons(deals, currency, *span), "deals": len(deals),
            "other_currency": sum(1 for d in deals if d.amount is not None and d.currency != currency)}


def _pct(value: float | None) -> str:
    return f"{100 * value:.0f}%" if value is not None else ""


TABLES = {
    "conversion": (["From stage", "To stage", "Reached", "Went on", "Conversion"],
                   lambda f: [[r.stage, r.next_stage, r.entered, r.advanced, _pct(r.rate)] for r in f["conversion"]]),
    "quarters": (["Quarter", "Open at start", "Open at start amount", "Created", "Created amount", "Won",
                  "Won amount", "Lost", "Lost amount", "Moved", "Open at end", "Open at end amount"],
                 lambda f: [[q.label, q.open_at_start, q.open_at_start_amount, q.created, q.created_amount, q.won,
                             q.won_amount, q.lost, q.lost_amount, q.moved, q.open_at_end, q.open_at_end_amount]
                            for q in f["quarters"]]),
    "lost_reasons": (["Lost reason", "Deals", "Amount"], lambda f: [list(r) for r in f["lost"]]),
    "summary": (["Scope", "Won", "Lost", "Win rate", "Average won deal", "Average sales cycle (days)"],
                lambda f: [[scope, s.won, s.lost, _pct(s.win_rate), s.avg_deal, s.avg_cycle_days]
                           for scope, s in ((f["quarter_label"], f["this_quarter"]), (f["range_label"].capitalize(), f["all_time"]))]),
}


@web_bp.route("/reports/pipeline")
@login_required
def pipeline_reports():
    filters = report_filters()
    figures = _figures(filters)
    charts = {
        "conversion": {"labels": [r.stage for r in figures["conversion"]] + ["closed_won"],
                       "names": [humanize(r.stage) for r in figures["conversion"]] + [humanize("closed_won")],
                       "values": [r.entered for r in figures["conversion"]] +
                                 [figures["conversion"][-1].advanced if figures["conversion"] else 0]},
        "quarters": {"labels": [q.label for q in figures["quarters"]],
                     "created": [float(q.created_amount) for q in figures["quarters"]],
                     "won": [float(q.won_amount) for q in figures["quarters"]],
                     "lost": [float(q.lost_amount) for q in figures["quarters"]]},
        "lost": {"labels": [lost_reason_label(r[0]) for r in figures["lost"]], "values": [r[1] for r in figures["lost"]]},
    }
    return render_template("web/reports/pipeline_reports.html", f=figures, charts=charts, pct=_pct, filters=filters,
                           owners=owner_choices())


@web_bp.route("/reports/pipeline/<name>.csv")
@login_required
def pipeline_report_csv(name: str):
    if name not in TABLES:
        abort(404, "No such report table.")
    header, rows = TABLES[name]
    stamp = clock.now().date().isoformat()
    return to_csv(header, rows(_figures(report_filters()))), 200, {
        "Content-Type": "text/csv; charset=utf-8",
        "Content-Disposition": f'attachment; filename="pipeline-{name}-{stamp}.csv"'}


@web_bp.route("/pipeline/rules", methods=["GET", "POST"])
@roles_required(*MANAGERS)
def stale_rules():
    ws = get_workspace(db.session)
    errors: dict[str, str] = {}
    if request.method == "POST":
        try:
            ws.stale_rules = clean_rules({s.value: request.form.get(s.value, "").strip() for s in RULE_STAGES})
            ws.stale_email_owner = request.form.get("email_owner") == "on"
            seq_id = request.form.get("sequence_id", type=int)
            ws.stale_sequence_id = seq_id if seq_id and db.session.get(Sequence, seq_id) else None
            db.session.commit()
            flash(_("Stale rules saved. The next reminder run uses them."), "success")
            return redirect(url_for("web.stale_rules"))
        except DomainError as exc:
            db.session.rollback()
            errors = {d["field"]: say(d["message"]) for d in exc.details}
            ws = get_workspace(db.session)
    values = {k: str(v) for k, v in rules_of(db.session).items()}
    if errors:
        values = {s.value: request.form.get(s.value, "") for s in RULE_STAGES}
    sequences = db.session.scalars(select(Sequence).order_by(Sequence.name)).all()
    return render_template("web/deals/stale_rules.html", stages=RULE_STAGES, values=values, errors=errors, ws=ws,
                           sequences=sequences), 422 if errors else 200
