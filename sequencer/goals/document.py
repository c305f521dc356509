"""A goal's plan and pace as plain data: what the API returns and the pages and CSVs read."""
from __future__ import annotations

from sequencer.goals import periods
from sequencer.goals.pace import Pace
from sequencer.goals.plan import Measured, Plan


def _measured(m: Measured) -> dict:
    return {"value": None if m.value is None else round(m.value, 2), "n": m.n, "source": m.source}


def _split(plan: Plan, slices: list[periods.Slice]) -> list[dict]:
    amount = plan.target_amount
    return [{"start": s.start, "end": s.end, "label": s.label, "share": round(s.share, 4),
             "amount": None if amount is None else round(amount * s.share, 2), "deals": round(plan.deals * s.share, 2)}
            for s in slices]


def target_of(plan: Plan) -> dict:
    return {"amount": plan.target_amount, "deals": round(plan.deals, 2), "currency": plan.goal.currency,
            "months": _split(plan, plan.months), "quarters": _split(plan, periods.quarters(plan.months))}


def pace_of(pace: Pace) -> dict:
    return {"as_of": pace.as_of, "planned": pace.planned, "actual": pace.actual, "projection": pace.projection,
            "reps": [{"user_id": r.user_id, "name": r.name, "planned": r.planned, "actual": r.actual,
                      "week_planned": r.week_planned, "week_actual": r.week_actual, "behind": r.behind,
                      "reason": r.reason, "message": r.message} for r in pace.reps],
            "weeks": pace.weeks}


def plan_of(plan: Plan) -> dict:
    """The plan without pace: what the what-if recomputes on every change."""
    goal = plan.goal
    return {
        "id": goal.id, "name": goal.name, "period_start": goal.period_start, "period_end": goal.period_end,
        "currency": goal.currency, "owner_id": goal.owner_id, "assumptions": goal.assumptions or {},
        "target": target_of(plan),
        "plan": {key: r.as_dict() for key, r in plan.need.items()},
        "rates": {key: {"rate": round(r.rate, 4), "low": round(r.low, 4), "high": round(r.high, 4), "n": r.n,
                        "successes": r.successes, "source": r.source, "scope": r.scope}
                  for key, r in plan.rates.items()},
        "average_deal": None if plan.average_deal.value is None else round(plan.average_deal.value, 2),
        "cycle_days": None if plan.cycle_days.value is None else round(plan.cycle_days.value, 1),
        "measures": {"average_deal": _measured(plan.average_deal), "cycle_days": _measured(plan.cycle_days),
                     "window_days": goal.window_days},
        "activity_window": {"start": plan.activity_start, "end": plan.activity_end},
        "per_rep": [{"user_id": r.user_id, "name": r.name, "deals": round(r.deals, 2), "working_days": r.working_days,
                     "per_day": r.per_day, "per_week": r.per_week} for r in plan.reps],
    }


def goal_document(plan: Plan, pace: Pace) -> dict:
    return {**plan_of(plan), "pace": pace_of(pace)}
