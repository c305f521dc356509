"""Goals: the one place a goal is checked, stored, found and listed (API, UI and demo all call these)."""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from sequencer.accounts.permissions import require_manage_goals
from sequencer.calendar.schedule import _known_country
from sequencer.errors import Invalid, NotFound
from sequencer.goals import funnel, periods
from sequencer.models import Goal, User
from sequencer.texts import tr

MAX_AMOUNT = Decimal("999999999999")
MAX_DEALS = 1_000_000
MAX_SPAN_DAYS = 3 * 366
EXTRA_ASSUMPTIONS = {"average_deal": (0.0, float(MAX_AMOUNT)), "cycle_days": (-1.0, 1000.0)}  # a cycle may be 0 days


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        return None
    number = float(value)
    return number if number == number and abs(number) != float("inf") else None


def clean_assumptions(raw: Any) -> tuple[dict[str, float], list[dict]]:
    """Rates in (0, 1] by stage key, plus average_deal and cycle_days; problems by field."""
    if raw is None:
        return {}, []
    if not isinstance(raw, dict):
        return {}, [{"field": "assumptions", "message": tr("must be an object {stage: rate}")}]
    out, problems = {}, []
    for key, value in raw.items():
        number = _number(value)
        lo, hi = EXTRA_ASSUMPTIONS.get(key, (0.0, 1.0))
        if key not in funnel.RATE_KEYS and key not in EXTRA_ASSUMPTIONS:
            problems.append({"field": f"assumptions.{key}",
                             "message": tr("unknown stage; one of %(keys)s, average_deal, cycle_days", keys=", ".join(funnel.RATE_KEYS))})
        elif number is None or not lo < number <= hi or (key == "cycle_days" and number < 0):
            problems.append({"field": f"assumptions.{key}",
                             "message": tr("must be a number above %(low)s and at most %(high)s", low=f"{max(lo, 0):g}", high=f"{hi:g}")})
        else:
            out[key] = number
    return out, problems


def _targets(data: dict, problems: list[dict]) -> tuple[Decimal | None, int | None]:
    amount, deals = data.get("target_amount"), data.get("target_deals")
    if (amount is None) == (deals is None):
        problems.append({"field": "target_amount", "message": tr("give target_amount or target_deals (one of them)")})
        return None, None
    if amount is not None and (_number(amount) is None or not 0 < Decimal(str(amount)) <= MAX_AMOUNT):
        problems.append({"field": "target_amount", "message": tr("must be above 0 and at most %(max)s", max=MAX_AMOUNT)})
    if deals is not None and (isinstance(deals, bool) or not isinstance(deals, int) or not 0 < deals <= MAX_DEALS):
        problems.append({"field": "target_deals", "message": tr("must be a whole number from 1 to %(max)s", max=MAX_DEALS)})
    return (Decimal(str(amount)) if amount is not None and not problems else None,
            deals if deals is not None and not problems else None)


def _period(data: dict, problems: list[dict]) -> tuple[date, date]:
    start, end = data.get("period_start"), data.get("period_end")
    if not isinstance(start, date) or not isinstance(end, date):
        problems.append({"field": "period_start", "message": tr("period_start and period_end are dates (YYYY-MM-DD)")})
        return date.min, date.min
    if end < start or (end - start).days > MAX_SPAN_DAYS:
        problems.append({"field": "period_end", "message": tr("must be on or after period_start, at most 3 years later")})
    return start, end


def _weights(raw: Any, start: date, end: date, problems: list[dict]) -> list[float]:
    if not raw:
        return []
    months = len(periods.months(start, end)) if start <= end else 0
    numbers = [_number(w) for w in raw] if isinstance(raw, list) else [None]
    if len(numbers) != months or any(n is None or not 0 <= n <= 1000 for n in numbers) or not sum(
            n or 0 for n in numbers):
        problems.append({"field": "weights", "message": tr("one weight (0 to 1000) per month of the period: %(months)s", months=months)})
        return []
    return [float(n or 0) for n in numbers]


def create_goal(session: Session, actor: User, data: dict, now: datetime) -> Goal:
    """Check and store a goal (managers only); nothing is stored when any field is wrong."""
    require_manage_goals(actor)
    problems: list[dict] = []
    name = str(data.get("name") or "").strip()
    if not name or len(name) > 200:
        problems.append({"field": "name", "message": tr("required, at most 200 characters")})
    start, end = _period(data, problems)
    amount, deals = _targets(data, problems)
    currency = str(data.get("currency") or "EUR").upper()
    if len(currency) != 3 or not currency.isalpha() or not currency.isascii():
        problems.append({"field": "currency", "message": tr("a three-letter ISO 4217 code")})
    owner_id = data.get("owner_id")
    if owner_id is not None and (not isinstance(owner_id, int) or session.get(User, owner_id) is None):
        problems.append({"field": "owner_id", "message": tr("no such user (null for the team)")})
    assumptions, more = clean_assumptions(data.get("assumptions"))
    problems += more
    weights = _weights(data.get("weights"), start, end, problems)
    window = data.get("window_days", 365)
    if isinstance(window, bool) or not isinstance(window, int) or not 30 <= window <= 1830:
        problems.append({"field": "window_days", "message": tr("whole days from 30 to 1830")})
    country = data.get("holiday_country")
    if country is not None and _known_country(country) is None:
        problems.append({"field": "holiday_country", "message": tr("a country code the holiday calendar knows")})
    if problems:
        raise Invalid.of(problems)
    goal = Goal(name=name, period_start=start, period_end=end, target_amount=amount, target_deals=deals,
                currency=currency, owner_id=owner_id, assumptions=assumptions, weights=weights, window_days=window,
                holiday_country=_known_country(country) if country else None, created_by_id=actor.id,
                created_at=now)
    session.add(goal)
    session.flush()
    return goal


def get_goal(session: Session, goal_id: int) -> Goal:
    goal = session.get(Goal, goal_id)
    if goal is None:
        raise NotFound(tr("no goal %(id)s", id=goal_id))
    return goal


def list_goals(session: Session) -> list[Goal]:
    return list(session.scalars(select(Goal).order_by(Goal.period_start.desc(), Goal.id.desc())))


def current_goals(session: Session, today: date) -> list[Goal]:
    """Goals whose period, or the activity before it, is under way: the ones paced this week."""
    return [g for g in list_goals(session) if g.period_end >= today]
