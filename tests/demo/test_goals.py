"""The demo's yearly goal: its plan and pace come from the demo's own history."""
from __future__ import annotations

from sqlalchemy import select

from sequencer.goals import pace as paces, plan as plans
from sequencer.models import AcquisitionCost, Goal
from tests.demo.helpers import NOW


def test_the_demo_has_a_yearly_goal_planned_and_paced_from_its_own_data(session, seeded):
    goal = session.scalars(select(Goal)).one()
    assert (goal.period_start.year, goal.period_start.month, goal.period_end.month) == (NOW.year + 1, 1, 12)
    plan = plans.build(session, goal, NOW)
    assert plan.deals == 1_500_000 / 24_000
    assert plan.activity_start <= NOW.date() <= plan.activity_end  # the cycle shift puts next year's work in now
    measured = {k: r for k, r in plan.rates.items() if r.source == "measured"}
    assert "first_contact" in measured and all(r.n >= 30 for r in measured.values())
    assert all(r.n > 0 for r in plan.rates.values() if r.scope != "default")
    assert len(plan.reps) == 2 and all(r.per_day["first_contacts"] > 0 for r in plan.reps)
    pace = paces.compute(session, plan)
    assert pace.actual["touches"] > 0 and pace.planned["first_contacts"] > 0
    assert any(r.week_actual["first_contacts"] for r in pace.reps)
    assert session.query(AcquisitionCost).count() == 3
