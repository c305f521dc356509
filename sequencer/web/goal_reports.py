"""The KPI page (with the managers' cost entry for CAC) and the printable quarterly review with a CSV per table."""
from __future__ import annotations

from datetime import date

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _, lazy_gettext
from flask_login import current_user, login_required

from sequencer.errors import DomainError
from sequencer.extensions import db
from sequencer.goals import costs, funnel, kpi_query, kpis as kpi_service, review
from sequencer.platform import clock
from sequencer.platform.csv_export import to_csv
from sequencer.web import web_bp
from sequencer.web.access import REPORT_VIEWERS, roles_required
from sequencer.web.goals import STAGE_LABELS
from sequencer.web.locale import say

# what the goal and review pages show through `|humanize` (plan keys, funnel stages, review columns)
HUMANIZED = (
    lazy_gettext("Deals"), lazy_gettext("Proposals"), lazy_gettext("Needs analyses"), lazy_gettext("Qualified"),
    lazy_gettext("Opportunities"), lazy_gettext("Meetings"), lazy_gettext("Replies"), lazy_gettext("First contacts"),
    lazy_gettext("Touches"), lazy_gettext("Won"), lazy_gettext("Opportunity"), lazy_gettext("Meeting"),
    lazy_gettext("Reply"), lazy_gettext("First contact"), lazy_gettext("Month"), lazy_gettext("Target deals"),
    lazy_gettext("Won deals"), lazy_gettext("Target amount"), lazy_gettext("Won amount"), lazy_gettext("Stage"),
    lazy_gettext("Reached"), lazy_gettext("From"), lazy_gettext("Rate"), lazy_gettext("Low"), lazy_gettext("High"),
    lazy_gettext("Deal"), lazy_gettext("Owner"), lazy_gettext("Amount"), lazy_gettext("Currency"),
    lazy_gettext("Closed"), lazy_gettext("Lost reason"), lazy_gettext("Reason"), lazy_gettext("Mid"),
)


@web_bp.route("/kpis")
@login_required
def kpis():
    query = kpi_query.parse(request.args, current_user, clock.now().date())
    figures = kpi_service.kpis(db.session, query)
    return render_template("web/goals/kpis.html", k=figures, stages=STAGE_LABELS, keys=reversed(funnel.RATE_KEYS),
                           costs=costs.recent_costs(db.session))


@web_bp.post("/kpis/costs")
@roles_required(*REPORT_VIEWERS)
def kpi_cost_set():
    try:
        costs.set_cost(db.session, current_user, request.form.get("month", ""), request.form.get("amount", ""),
                       request.form.get("currency", "EUR"), request.form.get("note", ""))
    except DomainError as exc:
        db.session.rollback()
        flash(say(exc.message), "error")
        return redirect(url_for("web.kpis"))
    db.session.commit()
    flash(_("Cost saved: CAC uses it."), "success")
    return redirect(url_for("web.kpis"))


def _quarter_day() -> date:
    """The `quarter` query value (YYYY-Qn) as its first day; this quarter by default."""
    raw = (request.args.get("quarter") or "").strip().upper()
    if not raw:
        return clock.now().date()
    try:
        year, q = raw.split("-Q")
        return date(int(year[:4]), 3 * (int(q[:1]) - 1) + 1, 1)
    except ValueError:
        abort(404, _("No such quarter: use YYYY-Qn."))


@web_bp.route("/goals/review")
@roles_required(*REPORT_VIEWERS)
def goals_review():
    pack = review.build(db.session, _quarter_day(), clock.now())
    return render_template("web/goals/review.html", pack=pack, quarter=request.args.get("quarter", ""))


@web_bp.route("/goals/review/<name>.csv")
@roles_required(*REPORT_VIEWERS)
def goals_review_csv(name: str):
    pack = review.build(db.session, _quarter_day(), clock.now())
    table = pack.table(name)
    if table is None:
        abort(404, _("No such review table."))
    rows = [[v.strftime("%b %Y") if c == "month" else v for c, v in zip(table.columns, row, strict=True)]
            for row in table.rows]
    return to_csv(table.columns, rows), 200, {
        "Content-Type": "text/csv; charset=utf-8",
        "Content-Disposition": f'attachment; filename="review-{pack.quarter.replace(" ", "-")}-{name}.csv"'}
