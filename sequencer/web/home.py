"""The home page per role: a rep's day at a glance, a manager's team at a glance (numbers come from the services)."""
from __future__ import annotations

from flask import render_template
from flask_login import current_user, login_required

from sequencer.accounts.permissions import is_manager
from sequencer.deals.board import DealFilters, list_deals
from sequencer.extensions import db
from sequencer.platform import clock
from sequencer.reports.overview import sequence_funnels
from sequencer.reports.reps import rep_activity
from sequencer.scoring.hot import hot_leads
from sequencer.tasks.glance import day_at_a_glance
from sequencer.web import web_bp

HOT_SHOWN = 5
STALE_SHOWN = 8


@web_bp.route("/")
@login_required
def home():
    now = clock.now()
    if is_manager(current_user):
        starts, reps = rep_activity(db.session, now, weeks=1)
        sequences = [s for s in sequence_funnels(db.session) if s.status == "active"]
        stale = list_deals(db.session, DealFilters(stale=True), now)
        stale.sort(key=lambda r: r.stale.since if r.stale else now)
        return render_template("web/home/manager.html", week=starts[0], reps=reps, sequences=sequences,
                               stale=stale[:STALE_SHOWN], stale_total=len(stale))
    day = day_at_a_glance(db.session, current_user, now)
    hot = [p for p in hot_leads(db.session, current_user.id, now, limit=HOT_SHOWN * 4)
           if p.owner_id == current_user.id][:HOT_SHOWN]
    return render_template("web/home/rep.html", day=day, hot=hot)
