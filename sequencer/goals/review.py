"""The quarterly business review pack: forecast vs actual, funnel, key deals, lost reasons, next quarter's plan."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from sequencer.goals import funnel, measure, plan as plans
from sequencer.goals.periods import Slice
from sequencer.models import Goal, Opportunity, Stage
from sequencer.texts import tr

KEY_DEALS = 5


@dataclass
class Table:
    """A table as plain rows: the page renders it and the CSV door writes it from the same data."""

    key: str
    title: str
    columns: list[str]
    rows: list[list] = field(default_factory=list)
    numeric: tuple[str, ...] = ()  # right-aligned on the page
    percent: tuple[str, ...] = ()  # fractions shown as % on the page (the CSV keeps the fraction)
    empty: str = tr("Nothing in this quarter.")


@dataclass
class Review:
    quarter: str
    start: date
    end: date
    tables: list[Table]

    def table(self, key: str) -> Table | None:
        return next((t for t in self.tables if t.key == key), None)


def quarter_of(day: date) -> tuple[date, date]:
    first = date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    nxt = date(first.year + (first.month == 10), (first.month + 2) % 12 + 1, 1)
    return first, nxt - timedelta(days=1)


def _team_goal(session: Session, day: date) -> Goal | None:
    return session.scalars(select(Goal).where(Goal.owner_id.is_(None), Goal.period_start <= day,
                                              Goal.period_end >= day).order_by(Goal.id.desc())).first()


def _share(slices: list[Slice], start: date, end: date) -> float:
    return sum(s.share for s in slices if start <= s.start <= end)


def _forecast(session: Session, plan: plans.Plan | None, start: date, end: date) -> Table:
    table = Table("forecast", tr("Forecast vs actual"), ["month", "target_deals", "won_deals", "target_amount", "won_amount"],
                  numeric=("target_deals", "won_deals", "target_amount", "won_amount"))
    currency = [Opportunity.currency == plan.goal.currency] if plan else []
    month = start
    while month <= end:
        nxt = (month.replace(day=28) + timedelta(days=4)).replace(day=1)
        won, amount = session.execute(select(func.count(), func.coalesce(func.sum(Opportunity.amount), 0)).where(
            Opportunity.stage == Stage.CLOSED_WON, Opportunity.closed_at >= datetime.combine(month, time.min, tzinfo=UTC),
            Opportunity.closed_at < datetime.combine(nxt, time.min, tzinfo=UTC), *currency)).one()
        share = _share(plan.months, month, month) if plan else 0.0
        table.rows.append([month, round(plan.deals * share, 1) if plan else None, won,
                           round((plan.target_amount or 0) * share, 2) if plan and plan.target_amount else None,
                           float(amount or 0)])
        month = nxt
    return table


def _funnel(session: Session, since: datetime, until: datetime) -> Table:
    team, _ = measure.counts_by_owner(session, since, until)
    table = Table("funnel", tr("Funnel"), ["stage", "reached", "from", "rate", "low", "high"],
                  numeric=("reached", "from", "rate", "low", "high"), percent=("rate", "low", "high"))
    for key in reversed(funnel.RATE_KEYS):
        s, n = team.get(key, (0, 0))
        r = funnel.measured(s, n, "team")
        table.rows.append([key, s, n, round(r.rate, 4), round(r.low, 4), round(r.high, 4)])
    return table


def _key_deals(session: Session, stage: Stage, since: datetime, until: datetime) -> Table:
    won = stage == Stage.CLOSED_WON
    table = Table("won" if won else "lost", tr("Key deals won") if won else tr("Key deals lost"),
                  ["deal", "owner", "amount", "currency", "closed", "lost_reason"], numeric=("amount",))
    for opp in session.scalars(select(Opportunity).where(Opportunity.stage == stage, Opportunity.closed_at >= since,
                                                         Opportunity.closed_at < until)
                               .order_by(Opportunity.amount.desc().nulls_last(), Opportunity.id).limit(KEY_DEALS)):
        table.rows.append([opp.name, opp.owner.name if opp.owner else "", float(opp.amount or 0), opp.currency,
                           opp.closed_at.date().isoformat() if opp.closed_at else "", opp.lost_reason or ""])
    return table


def _reasons(session: Session, since: datetime, until: datetime) -> Table:
    table = Table("reasons", tr("Lost reasons"), ["reason", "deals", "amount"], numeric=("deals", "amount"))
    reason = func.coalesce(Opportunity.lost_reason, "")
    for text, n, amount in session.execute(
            select(reason, func.count(), func.coalesce(func.sum(Opportunity.amount), 0))
            .where(Opportunity.stage == Stage.CLOSED_LOST, Opportunity.closed_at >= since, Opportunity.closed_at < until)
            .group_by(reason).order_by(func.count().desc())):
        table.rows.append([text or tr("(none given)"), n, float(amount or 0)])
    return table


def _next_plan(session: Session, start: date, end: date, now: datetime) -> Table:
    table = Table("next", tr("Next quarter's plan"), ["stage", "low", "mid", "high"], numeric=("low", "mid", "high"),
                  empty=tr("No team goal covers the next quarter yet."))
    goal = _team_goal(session, start)
    if goal is None:
        return table
    plan = plans.build(session, goal, now)
    share = _share(plan.months, start, end)
    for key, need in funnel.reverse(plan.deals * share, plan.rates).items():
        table.rows.append([key, need.low, need.mid, need.high])
    return table


def build(session: Session, day: date, now: datetime) -> Review:
    start, end = quarter_of(day)
    since, until = datetime.combine(start, time.min, tzinfo=UTC), datetime.combine(end + timedelta(days=1), time.min, tzinfo=UTC)
    goal = _team_goal(session, start) or _team_goal(session, end)
    plan = plans.build(session, goal, now) if goal else None
    nxt_start, nxt_end = quarter_of(end + timedelta(days=1))
    tables = [_forecast(session, plan, start, end), _funnel(session, since, until),
              _key_deals(session, Stage.CLOSED_WON, since, until), _key_deals(session, Stage.CLOSED_LOST, since, until),
              _reasons(session, since, until), _next_plan(session, nxt_start, nxt_end, now)]
    return Review(f"Q{(start.month - 1) // 3 + 1} {start.year}", start, end, tables)
