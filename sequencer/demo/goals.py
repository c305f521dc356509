"""The demo's yearly team goal (with seasonality) and a few months of acquisition costs, set through the services."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy.orm import Session

from sequencer.goals.costs import set_cost
from sequencer.goals.service import create_goal
from sequencer.models import Goal, User

# quieter summers and a busy autumn, one weight per month
SEASONALITY = [0.8, 0.9, 1.1, 1.0, 1.0, 0.9, 0.6, 0.6, 1.2, 1.3, 1.3, 1.3]


def build_goals(session: Session, manager: User, now: datetime) -> Goal:
    """Next calendar year's revenue goal: with a 45-day cycle its activity starts now, paced on the demo's history."""
    year = now.year + 1
    goal = create_goal(session, manager, {
        "name": f"{year} new business", "period_start": date(year, 1, 1), "period_end": date(year, 12, 31),
        "target_amount": 1_500_000, "currency": "EUR", "owner_id": None, "weights": SEASONALITY,
        "assumptions": {"average_deal": 24_000, "cycle_days": 45, "won": 0.45, "negotiation": 0.7},
        "window_days": 365, "holiday_country": "LT"}, now)
    for months_back, amount in ((0, "9200"), (1, "8700"), (2, "9900")):
        month = date(now.year, now.month, 1)
        y, m = (month.year, month.month - months_back) if month.month > months_back else (
            month.year - 1, month.month - months_back + 12)
        set_cost(session, manager, f"{y:04d}-{m:02d}", amount, "EUR", "ads, events and SDR tooling")
    return goal
