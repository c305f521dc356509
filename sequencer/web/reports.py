"""The reports overview page: sequence funnels and variants, for a date range and an owner (a rep: their own);
the numbers come from `sequencer.reports.overview`."""
from __future__ import annotations

from flask import render_template
from flask_login import login_required

from sequencer.extensions import db
from sequencer.reports.overview import KINDS, sequence_funnels, variant_breakdown
from sequencer.web import web_bp
from sequencer.web.report_filters import owner_choices, report_filters


@web_bp.route("/reports")
@login_required
def reports():
    filters = report_filters()
    return render_template("web/reports/reports.html", funnels=sequence_funnels(db.session, filters.scope),
                           variants=variant_breakdown(db.session, filters.scope), kinds=KINDS, filters=filters,
                           owners=owner_choices())
