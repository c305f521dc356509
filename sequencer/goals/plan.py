"""A goal's plan: deals needed, the rates behind them, the reverse funnel, the split and each rep's daily load."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from sequencer.accounts.permissions import planned_for_team_goals
from sequencer.accounts.workspace import get_workspace
from sequencer.calendar.schedule import PROSPECT, Schedule
from sequencer.goals import funnel, measure, periods
from sequencer.models import Goal, TimeOff, User

DAILY_KEYS = ("first_contacts", "touches", "meetings", "proposals")
DAYS_PER_WEEK = 5


@dataclass
class WhatIf:
    """Values a manager tries without saving: rates by key, a deal size, a target."""

    rates: dict[str, float] = field(default_factory=dict)
    average_deal: float | None = None
    target_amount: float | None = None
    target_deals: int | None = None


@dataclass
class Measured:
    value: float | None
    n: int
    source: str  # measured | assumed | missing


@dataclass
class RepPlan:
    user_id: int
    name: str
    deals: float
    working_days: int
    rates: dict[str, funnel.Rate]
    need: dict[str, funnel.Range]
    per_day: dict[str, float]
    per_week: dict[str, float]


@dataclass
class Plan:
    goal: Goal
    as_of: datetime
    target_amount: float | None
    target_deals: int | None
    deals: float
    average_deal: Measured
    cycle_days: Measured
    rates: dict[str, funnel.Rate]
    need: dict[str, funnel.Range]
    activity_start: date
    activity_end: date
    months: list[periods.Slice]
    reps: list[RepPlan]


def _pick(measured: float | None, n: int, assumed: object) -> Measured:
    """Measured with enough outcomes; else the manager's assumption; else whatever was measured."""
    if measured is not None and n >= funnel.MIN_OUTCOMES:
        return Measured(measured, n, "measured")
    if isinstance(assumed, int | float) and assumed >= 0:
        return Measured(float(assumed), n, "assumed")
    return Measured(measured, n, "measured" if measured is not None else "missing")


def reps_of(session: Session, goal: Goal) -> list[User]:
    """The goal's owner, or every active rep for a team goal."""
    if goal.owner_id is not None:
        owner = session.get(User, goal.owner_id)
        return [owner] if owner is not None else []
    return list(session.scalars(select(User).where(planned_for_team_goals()).order_by(User.id)))


def schedule_and_country(session: Session, goal: Goal) -> tuple[Schedule, str | None]:
    schedule = Schedule.from_dict(get_workspace(session).default_schedule)
    country = goal.holiday_country or (schedule.holidays if schedule.holidays not in (None, PROSPECT) else None)
    return schedule, country


def time_off_of(session: Session, user_ids: list[int], start: date, end: date) -> dict[int, list[tuple[date, date]]]:
    out: dict[int, list[tuple[date, date]]] = {u: [] for u in user_ids}
    for row in session.scalars(select(TimeOff).where(TimeOff.user_id.in_(user_ids), TimeOff.ends_on >= start,
                                                     TimeOff.starts_on <= end)):
        out[row.user_id].append((row.starts_on, row.ends_on))
    return out


def _rep_plans(session: Session, goal: Goal, deals: float, window: tuple[date, date], team: funnel.Counts,
               per: dict[int, funnel.Counts], forced: dict) -> list[RepPlan]:
    reps = reps_of(session, goal)
    if not reps:
        return []
    schedule, country = schedule_and_country(session, goal)
    away = time_off_of(session, [r.id for r in reps], *window)
    share, out = deals / len(reps), []
    for rep in reps:
        rates = funnel.choose_all(per.get(rep.id), team, goal.assumptions or {}, forced)
        need = funnel.reverse(share, rates)
        days = periods.working_days(window[0], window[1], schedule, country, away[rep.id])
        per_day = {k: round((need[k].mid or 0) / days, 2) if days else 0.0 for k in DAILY_KEYS}
        out.append(RepPlan(rep.id, rep.name or rep.email, share, days, rates, need, per_day,
                           {k: round(v * DAYS_PER_WEEK, 1) for k, v in per_day.items()}))
    return out


def build(session: Session, goal: Goal, now: datetime, what_if: WhatIf | None = None) -> Plan:
    """Everything the goal asks for, measured over the goal's window up to `now`."""
    w = what_if or WhatIf()
    since = now - timedelta(days=goal.window_days)
    team, per = measure.counts_by_owner(session, since, now)
    avg, won, cycle = measure.won_deals(session, since, now, goal.currency)
    assumptions = goal.assumptions or {}
    average = Measured(w.average_deal, won, "assumed") if w.average_deal else _pick(avg, won,
                                                                                    assumptions.get("average_deal"))
    cycle_days = _pick(cycle, won, assumptions.get("cycle_days"))
    amount = w.target_amount if w.target_amount is not None else (
        float(goal.target_amount) if goal.target_amount is not None else None)
    target_deals = w.target_deals if w.target_deals is not None else (None if w.target_amount else goal.target_deals)
    deals = funnel.deals_needed(amount, target_deals, average.value)
    owner_counts = per.get(goal.owner_id) if goal.owner_id is not None else None
    rates = funnel.choose_all(owner_counts, team, assumptions, w.rates)
    window = periods.activity_window(goal.period_start, goal.period_end, round(cycle_days.value or 0))
    return Plan(goal, now, amount, target_deals, deals, average, cycle_days, rates, funnel.reverse(deals, rates),
                window[0], window[1], periods.split(goal.period_start, goal.period_end, goal.weights or ()),
                _rep_plans(session, goal, deals, window, team, per, w.rates))
