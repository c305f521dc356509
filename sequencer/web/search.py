"""Global search from the top bar: prospects, companies, deals and sequences matching one box."""
from __future__ import annotations

from flask import render_template, request
from flask_login import login_required

from sequencer.deals.lookup import find_deals
from sequencer.extensions import db
from sequencer.people.lookup import find_companies, find_prospects
from sequencer.sequences.lookup import find_sequences
from sequencer.web import web_bp


@web_bp.route("/search")
@login_required
def search():
    q = (request.args.get("q") or "").strip()[:100]
    prospects, companies = find_prospects(db.session, q), find_companies(db.session, q)
    deals, sequences = find_deals(db.session, q), find_sequences(db.session, q)
    found = len(prospects) + len(companies) + len(deals) + len(sequences)
    return render_template("web/search/results.html", q=q, found=found, prospects=prospects, companies=companies,
                           deals=deals, sequences=sequences)
