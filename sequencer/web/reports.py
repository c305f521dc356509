"""The managers' reports overview page; the numbers come from `sequencer.reports.overview`."""
from __future__ import annotations

from flask import render_template

from sequencer.extensions import db
from sequencer.reports.overview import KINDS, sequence_funnels, variant_breakdown
from sequencer.web import web_bp
from sequencer.web.access import REPORT_VIEWERS, roles_required


@web_bp.route("/reports")
@roles_required(*REPORT_VIEWERS)
def reports():
    return render_template("web/reports/reports.html", funnels=sequence_funnels(db.session),
                           variants=variant_breakdown(db.session), kinds=KINDS)
