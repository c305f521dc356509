"""The KPI page's numbers for a date range and optionally one owner, all counted in SQL from stored rows."""
from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from sequencer.goals import funnel, measure
from sequencer.goals.measure import TOUCH_TASKS
from sequencer.models import (
    AcquisitionCost,
    Activity,
    Event,
    Goal,
    Opportunity,
    Prospect,
    Stage,
    Task,
    TaskStatus,
    User,
)


@dataclass(frozen=True)
class KpiQuery:
    start: date
    end: date  # inclusive
    owner_id: int | None = None
    currency: str = "EUR"

    @property
    def since(self) -> datetime:
        return datetime.combine(self.start, time.min, tzinfo=UTC)

    @property
    def until(self) -> datetime:
        return datetime.combine(self.end + timedelta(days=1), time.min, tzinfo=UTC)


def _ratio(a: float, b: float) -> float | None:
    return round(a / b, 4) if b else None


def _owned(q: KpiQuery, column):
    return [column == q.owner_id] if q.owner_id is not None else []


def _deals(session: Session, q: KpiQuery) -> dict:
    closed = [Opportunity.closed_at >= q.since, Opportunity.closed_at < q.until, *_owned(q, Opportunity.owner_id)]
    rows = dict(session.execute(select(Opportunity.stage, func.count()).where(
        *closed, Opportunity.stage.in_((Stage.CLOSED_WON, Stage.CLOSED_LOST))).group_by(Opportunity.stage)).all())
    won, lost = rows.get(Stage.CLOSED_WON, 0), rows.get(Stage.CLOSED_LOST, 0)
    avg, _, cycle = measure.won_deals(session, q.since, q.until, q.currency, q.owner_id)
    open_amount = session.scalar(select(func.coalesce(func.sum(Opportunity.amount), 0)).where(
        Opportunity.stage.not_in((Stage.CLOSED_WON, Stage.CLOSED_LOST)), Opportunity.currency == q.currency,
        *_owned(q, Opportunity.owner_id)))
    return {"won": won, "lost": lost, "win_rate": _ratio(won, won + lost),
            "average_deal": None if avg is None else round(avg, 2),
            "cycle_days": None if cycle is None else round(cycle, 1), "open_pipeline": float(open_amount or 0)}


def _coverage(session: Session, q: KpiQuery, open_pipeline: float) -> dict:
    """Open pipeline over what is left of the amount goals running on the range's last day."""
    goals = session.scalars(select(Goal).where(Goal.period_start <= q.end, Goal.period_end >= q.end,
                                               Goal.target_amount.is_not(None), Goal.currency == q.currency,
                                               Goal.owner_id == q.owner_id if q.owner_id else Goal.owner_id.is_(None)))
    remaining = 0.0
    for goal in goals:
        won = session.scalar(select(func.coalesce(func.sum(Opportunity.amount), 0)).where(
            Opportunity.stage == Stage.CLOSED_WON, Opportunity.currency == goal.currency,
            Opportunity.closed_at >= datetime.combine(goal.period_start, time.min, tzinfo=UTC),
            *_owned(q, Opportunity.owner_id)))
        remaining += max(float(goal.target_amount or 0) - float(won or 0), 0.0)
    return {"open_pipeline": open_pipeline, "remaining_target": remaining, "coverage": _ratio(open_pipeline, remaining)}


def speed_to_lead(session: Session, q: KpiQuery) -> dict:
    """Median minutes from a `form_submitted` activity to the prospect's first touch after it (None without any)."""
    first_sent = (select(func.min(Event.occurred_at)).where(Event.kind == "sent", Event.prospect_id == Activity.prospect_id,
                                                            Event.occurred_at >= Activity.occurred_at)
                  .correlate(Activity).scalar_subquery())
    first_task = (select(func.min(Task.completed_at)).where(
        Task.prospect_id == Activity.prospect_id, Task.status == TaskStatus.DONE, Task.type.in_(TOUCH_TASKS),
        Task.completed_at >= Activity.occurred_at).correlate(Activity).scalar_subquery())
    rows = session.execute(select(Activity.occurred_at, first_sent, first_task)
                           .join(Prospect, Prospect.id == Activity.prospect_id)
                           .where(Activity.kind == "form_submitted", Activity.occurred_at >= q.since,
                                  Activity.occurred_at < q.until, *_owned(q, Prospect.owner_id))).all()
    minutes = [(min(t for t in (a, b) if t is not None) - at).total_seconds() / 60
               for at, a, b in rows if a is not None or b is not None]
    return {"median_minutes": round(statistics.median(minutes), 1) if minutes else None, "n": len(minutes),
            "submissions": len(rows)}


def _cac(session: Session, q: KpiQuery, won: int) -> dict:
    costs = float(session.scalar(select(func.coalesce(func.sum(AcquisitionCost.amount), 0)).where(
        AcquisitionCost.month >= q.start.replace(day=1), AcquisitionCost.month <= q.end,
        AcquisitionCost.currency == q.currency)) or 0)
    return {"costs": costs, "won": won, "cac": round(costs / won, 2) if costs and won else None}


def _per_rep(session: Session, q: KpiQuery, per: dict[int, funnel.Counts]) -> tuple[list[dict], dict]:
    """Touches and first contacts from the measured counts (no second pass), meetings by prospect owner."""
    meetings = dict(session.execute(
        select(Prospect.owner_id, func.count()).select_from(Event).join(Prospect, Prospect.id == Event.prospect_id)
        .where(Event.kind == "meeting_booked", Event.occurred_at >= q.since, Event.occurred_at < q.until)
        .group_by(Prospect.owner_id)).all())
    names = dict(session.execute(select(User.id, User.name)).all())
    reps, totals = [], {"touches": 0, "first_contacts": 0, "meetings": 0}
    for owner in sorted(set(per) | {o for o in meetings if o is not None}):
        if q.owner_id is not None and owner != q.owner_id:
            continue
        first, touched = per.get(owner, {}).get("first_contact", (0, 0))
        row = {"touches": touched, "first_contacts": first, "meetings": meetings.get(owner, 0)}
        for k in totals:
            totals[k] += row[k]
        reps.append({"user_id": owner, "name": names.get(owner) or "", **row})
    return reps, totals


def kpis(session: Session, q: KpiQuery) -> dict:
    team, per = measure.counts_by_owner(session, q.since, q.until)
    counts = per.get(q.owner_id, {}) if q.owner_id is not None else team
    conversion = {key: funnel.measured(*counts.get(key, (0, 0)), "rep" if q.owner_id else "team").as_dict()
                  for key in funnel.RATE_KEYS}
    deals = _deals(session, q)
    reps, totals = _per_rep(session, q, per)
    sent = session.scalar(select(func.count()).select_from(Event).join(Prospect, Prospect.id == Event.prospect_id).where(
        Event.kind == "sent", Event.occurred_at >= q.since, Event.occurred_at < q.until, *_owned(q, Prospect.owner_id)))
    replied = session.scalar(select(func.count()).select_from(Event).join(Prospect, Prospect.id == Event.prospect_id).where(
        Event.kind == "replied", Event.occurred_at >= q.since, Event.occurred_at < q.until,
        *_owned(q, Prospect.owner_id)))
    return {"from": q.start, "to": q.end, "owner_id": q.owner_id, "currency": q.currency,
            "conversion": conversion, **deals,
            "pipeline_coverage": _coverage(session, q, deals["open_pipeline"]),
            "activities_per_rep": reps,
            "reply_rate": _ratio(replied or 0, sent or 0),
            "meeting_rate": _ratio(totals["meetings"], totals["first_contacts"]),
            "speed_to_lead": speed_to_lead(session, q), "cac": _cac(session, q, deals["won"])}
