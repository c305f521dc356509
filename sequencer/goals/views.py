"""The goal reads every door shares: one goal's plan and pace, a what-if, and who may see them."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from sequencer.accounts.permissions import may_see_goal
from sequencer.errors import Invalid, NotFound
from sequencer.goals import document, pace as paces, plan as plans
from sequencer.goals.service import EXTRA_ASSUMPTIONS, clean_assumptions, get_goal, list_goals
from sequencer.models import Goal, User


def visible_goal(session: Session, user: User, goal_id: int) -> Goal:
    """The goal, when this user may see it (a rep sees the team's and their own; others are not found)."""
    goal = get_goal(session, goal_id)
    if not may_see_goal(user, goal.owner_id):
        raise NotFound(f"no goal {goal_id}")
    return goal


def visible_goals(session: Session, user: User) -> list[Goal]:
    return [g for g in list_goals(session) if may_see_goal(user, g.owner_id)]


def goal_with_pace(session: Session, goal: Goal, now: datetime) -> dict:
    plan = plans.build(session, goal, now)
    return document.goal_document(plan, paces.compute(session, plan))


def _positive(data: dict, key: str, most: float, problems: list[dict]) -> float | None:
    value = data.get(key)
    if value is None or value == "":
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        number = -1.0
    if isinstance(value, bool) or not 0 < number <= most:
        problems.append({"field": key, "message": f"must be a number above 0 and at most {most:g}"})
        return None
    return number


def parse_what_if(data: dict) -> plans.WhatIf:
    """Rates in (0, 1] by stage, a deal size, a target: checked like a goal's own values."""
    rates, problems = clean_assumptions(data.get("rates") or {})
    problems = [{**p, "field": p["field"].replace("assumptions.", "rates.")} for p in problems]
    rates = {k: v for k, v in rates.items() if k not in EXTRA_ASSUMPTIONS}
    w = plans.WhatIf(rates=rates, average_deal=_positive(data, "average_deal", 1e12, problems),
                     target_amount=_positive(data, "target_amount", 1e12, problems))
    deals = _positive(data, "target_deals", 1e6, problems)
    w.target_deals = int(deals) if deals is not None else None
    if problems:
        raise Invalid.of(problems)
    return w


def what_if(session: Session, goal: Goal, data: dict, now: datetime) -> dict:
    """The plan recomputed with the values tried; nothing is stored."""
    return document.plan_of(plans.build(session, goal, now, parse_what_if(data)))


def behind_notes(session: Session, user: User, now: datetime, locale: str | None = None) -> list[str]:
    """What the rep reads on their task queue: "8 first contacts behind this week (goal name)", per running goal."""
    notes = []
    for goal in visible_goals(session, user):
        if goal.period_end < now.date():
            continue
        plan = plans.build(session, goal, now)
        if not any(r.user_id == user.id for r in plan.reps):
            continue
        for rep in paces.compute(session, plan).reps:
            if rep.user_id == user.id and rep.message:
                notes.append(f"{rep.message_in(locale)} ({goal.name})")
    return notes


def team_pace(session: Session, user: User, now: datetime) -> list[dict]:
    """The manager's home: each running goal's pace to date and the reps behind this week, as plain values."""
    out = []
    for goal in visible_goals(session, user):
        if goal.period_end < now.date():
            continue
        pace = paces.compute(session, plans.build(session, goal, now))
        out.append({"goal_id": goal.id, "name": goal.name, "planned": pace.planned, "actual": pace.actual,
                    "projection": pace.projection,
                    "behind": [{"name": r.name, "message": r.message, "reason": r.reason}
                               for r in pace.reps if r.message]})
    return out
