"""The deal side of a task: its deal (stale reminders, or an open deal at the prospect's company), or an offer
to start one when the prospect booked a meeting or replied positively."""
from __future__ import annotations

from sqlalchemy import select

from sequencer.extensions import db
from sequencer.models import Event, Opportunity, Task
from sequencer.models.tasks import TaskType
from sequencer.texts import tr


def deal_context(tasks: list[Task]) -> dict[int, dict]:
    """Per task: its deal (stale reminders, or an open deal at the prospect's company), or an offer to create
    one when the prospect booked a meeting or replied positively (two queries for the whole queue)."""
    prospects = {t.prospect.id: t.prospect for t in tasks if t.prospect_id and t.prospect is not None}
    opp_ids = {t.opportunity_id for t in tasks if t.opportunity_id}
    companies = {p.company_id for p in prospects.values() if p.company_id}
    cond = Opportunity.id.in_(opp_ids) | Opportunity.prospect_id.in_(prospects) | Opportunity.company_id.in_(companies)
    deals = db.session.scalars(select(Opportunity).where(cond).order_by(Opportunity.id)).all() \
        if opp_ids or prospects else []
    by_id = {o.id: o for o in deals}
    open_by_prospect: dict[int | None, Opportunity] = {}  # keyed by nullable columns
    open_by_company: dict[int | None, Opportunity] = {}
    for o in deals:
        if not o.stage.is_closed:
            open_by_prospect.setdefault(o.prospect_id, o)
            open_by_company.setdefault(o.company_id, o)
    warm: dict[int | None, str] = {}
    if prospects:
        for pid, kind in db.session.execute(select(Event.prospect_id, Event.kind).where(
                Event.prospect_id.in_(prospects), (Event.kind == "meeting_booked") | (
                    (Event.kind == "replied") & (Event.payload["sentiment"].as_string() == "positive"))).distinct()):
            if warm.get(pid) != "meeting booked":  # said in the reader's language by the panel (`|say`)
                warm[pid] = tr("meeting booked") if kind == "meeting_booked" else tr("positive reply")
    out: dict[int, dict] = {}
    for t in tasks:
        p = prospects.get(t.prospect_id) if t.prospect_id else None
        deal = (by_id.get(t.opportunity_id) if t.opportunity_id else None) or (p and (open_by_prospect.get(p.id) or open_by_company.get(p.company_id)
                                                      if p.company_id else open_by_prospect.get(p.id)))
        if deal is not None:
            out[t.id] = {"deal": deal}
        elif p is not None and (p.id in warm or t.type == TaskType.REPLY_FOLLOWUP):
            out[t.id] = {"offer": True, "why": warm.get(p.id, tr("replied"))}
    return out
