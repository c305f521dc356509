"""Pace: the plan to date against what happened, per rep and week, with a straight-line projection."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy.orm import Session

from sequencer.goals import actuals, periods
from sequencer.goals.plan import Plan, schedule_and_country, time_off_of
from sequencer.platform.i18n import ngettext_in
from sequencer.texts import tr

KEYS = ("first_contacts", "touches", "meetings")


@dataclass
class RepPace:
    user_id: int
    name: str
    planned: dict[str, float]
    actual: dict[str, int]
    week_planned: dict[str, float]
    week_actual: dict[str, int]
    behind: int = 0  # first contacts behind this week
    reason: str | None = None  # fewer touches | lower conversion

    @property
    def message(self) -> str | None:
        return f"{self.behind} first contacts behind this week" if self.behind else None

    def message_in(self, locale: str | None) -> str | None:
        """The same line in `locale` (pages, the banner and the summary email), with the count's plural form."""
        if not self.behind:
            return None
        return ngettext_in(locale, "%(num)d first contact behind this week", "%(num)d first contacts behind this week",
                           self.behind)


@dataclass
class Pace:
    as_of: datetime
    planned: dict[str, float]
    actual: dict[str, int]
    projection: dict[str, float]
    reps: list[RepPace] = field(default_factory=list)
    weeks: list[dict] = field(default_factory=list)


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


def _period_fraction(plan: Plan, today: date) -> float:
    """Share of the target already due by `today`, month by month (seasonality weights included)."""
    done = 0.0
    for s in plan.months:
        if today >= s.end:
            done += s.share
        elif today >= s.start:
            done += s.share * ((today - s.start).days + 1) / ((s.end - s.start).days + 1)
    return done


def _rep_pace(rep, days: dict, start: date, today: date, wd_elapsed: int, wd_week: int, threshold: float) -> RepPace:
    week_start = max(periods.monday(today), start)
    planned = {k: round(rep.per_day[k] * wd_elapsed, 1) for k in KEYS}
    actual = {k: actuals.total(days, k, start, today) for k in KEYS}
    week_planned = {k: round(rep.per_day[k] * wd_week, 1) for k in KEYS}
    week_actual = {k: actuals.total(days, k, week_start, today) for k in KEYS}
    out = RepPace(rep.user_id, rep.name, planned, actual, week_planned, week_actual)
    gap = week_planned["first_contacts"] - week_actual["first_contacts"]
    if gap >= max(1.0, threshold * rep.per_week["first_contacts"]):
        out.behind = int(gap)
        short_touches = week_actual["touches"] < week_planned["touches"] * (1 - threshold)
        out.reason = tr("fewer touches") if short_touches else tr("lower conversion")
    return out


def _weeks(plan: Plan, daily: actuals.Daily, start: date, today: date) -> list[dict]:
    """Team rows per ISO week of the activity window so far (planned over weekdays): first contacts and touches."""
    rows, week = [], periods.monday(start)
    team_day = {k: sum(r.per_day[k] for r in plan.reps) for k in KEYS}
    while week <= today:
        lo, hi = max(week, start), min(week + timedelta(days=6), today, plan.activity_end)
        row: dict[str, object] = {"week": week.isoformat()}
        for k in ("first_contacts", "touches"):
            row[f"{k}_actual"] = sum(actuals.total(d, k, lo, hi) for d in daily.values())
            row[f"{k}_planned"] = round(team_day[k] * sum(1 for i in range((hi - lo).days + 1)
                                                          if (lo + timedelta(days=i)).weekday() < 5), 1)
        rows.append(row)
        week += timedelta(days=7)
    return rows


def compute(session: Session, plan: Plan) -> Pace:
    """Pace as of the plan's moment, for the team and each rep in it."""
    goal, today = plan.goal, plan.as_of.date()
    start, end = plan.activity_start, min(plan.activity_end, today)
    daily = actuals.daily(session, _midnight(min(start, goal.period_start)), _midnight(today + timedelta(days=1)))
    schedule, country = schedule_and_country(session, goal)
    away = time_off_of(session, [r.user_id for r in plan.reps], start, plan.activity_end)
    week_start = max(periods.monday(today), start)
    reps = []
    for rep in plan.reps:
        elapsed = periods.working_days(start, end, schedule, country, away[rep.user_id])
        in_week = periods.working_days(week_start, end, schedule, country, away[rep.user_id])
        reps.append(_rep_pace(rep, daily.get(rep.user_id, {}), start, today, elapsed, in_week, goal.behind_threshold))
    planned = {k: round(sum(r.planned[k] for r in reps), 1) for k in KEYS}
    actual = {k: sum(r.actual[k] for r in reps) for k in KEYS}
    total_planned = {k: sum(r.need[k].mid or 0 for r in plan.reps) for k in KEYS}
    projection = {k: round(actual[k] / planned[k] * total_planned[k], 1) if planned[k] else float(actual[k])
                  for k in KEYS}
    owners = {r.user_id for r in plan.reps}
    won = sum(actuals.total(d, "deals", goal.period_start, min(today, goal.period_end))
              for o, d in daily.items() if o in owners)
    fraction = _period_fraction(plan, today)
    planned["deals"], actual["deals"] = round(plan.deals * fraction, 1), won
    projection["deals"] = round(won / fraction, 1) if fraction else 0.0
    return Pace(plan.as_of, planned, actual, projection, reps, _weeks(plan, daily, start, end))
