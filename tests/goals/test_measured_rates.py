"""Rates measured from the workspace's own history: counts, Wilson intervals, rep vs team, assumed → measured."""
from __future__ import annotations

from datetime import date, timedelta

import pytest

from sequencer.goals import funnel, measure, plan as plans
from sequencer.goals.service import create_goal
from sequencer.reports.stats import wilson
from tests.goals.seed import LOST_AT_PROPOSAL, NOW, WON, contacts, deal


def _counts(session):
    return measure.counts_by_owner(session, NOW - timedelta(days=365), NOW)


def test_prospect_stages_count_the_furthest_stage_reached(session, factory):
    rep = factory.user("rep")
    contacts(factory, rep, 40, replied=10, met=4, touches_each=2)
    team, per = _counts(session)
    assert team["first_contact"] == (40, 80)
    assert team["reply"] == (10, 40)
    assert team["meeting"] == (4, 10)
    assert per[rep.id]["reply"] == (10, 40)


def test_deal_stages_come_from_history_and_open_deals_are_not_outcomes_yet(session, factory):
    rep = factory.user("rep")
    for _ in range(3):
        deal(factory, rep, WON)
    deal(factory, rep, LOST_AT_PROPOSAL)
    deal(factory, rep, ["qualification", "needs_analysis", "proposal"])  # still open at proposal
    team, _ = _counts(session)
    assert team["proposal"] == (5, 5)  # every deal reached proposal
    assert team["negotiation"] == (3, 4)  # the open one has no outcome there yet; the lost one failed
    assert team["won"] == (3, 3)


def test_a_stage_switches_from_assumed_to_measured_at_30_outcomes(session, factory):
    rep = factory.user("rep")
    contacts(factory, rep, 29, replied=6)
    team, _ = _counts(session)
    below = funnel.choose("reply", None, team, {"reply": 0.3})
    assert (below.source, below.rate, below.n) == ("assumed", 0.3, 29)
    contacts(factory, rep, 1)
    team, _ = _counts(session)
    at = funnel.choose("reply", None, team, {"reply": 0.3})
    assert (at.source, at.n, at.successes) == ("measured", 30, 6)
    assert at.rate == pytest.approx(0.2)
    assert (at.low, at.high) == pytest.approx(wilson(6, 30))
    assert at.low < 0.2 < at.high


def test_a_rep_with_enough_outcomes_gets_their_own_rate_else_the_teams(session, factory):
    busy, new = factory.user("rep"), factory.user("rep")
    contacts(factory, busy, 40, replied=20)
    contacts(factory, new, 5, replied=0)
    team, per = _counts(session)
    assert funnel.choose("reply", per[busy.id], team, {}).scope == "rep"
    mine = funnel.choose("reply", per[new.id], team, {})
    assert mine.scope == "team" and mine.rate == pytest.approx(20 / 45)
    assert funnel.choose("won", per[new.id], team, {}).scope == "default"


def test_the_plan_measures_deal_size_and_cycle_and_shifts_the_activity(session, factory):
    manager, rep = factory.user("manager"), factory.user("rep")
    for i in range(30):
        deal(factory, rep, WON, amount=20_000 + 1000 * (i % 3), cycle_days=91)
    goal = create_goal(session, manager, {"name": "Q3", "period_start": date(2027, 7, 1),
                                          "period_end": date(2027, 9, 30), "target_amount": 630_000,
                                          "currency": "EUR"}, NOW)
    plan = plans.build(session, goal, NOW)
    assert plan.average_deal.source == "measured" and plan.average_deal.value == pytest.approx(21_000)
    assert plan.cycle_days.value == pytest.approx(91)
    assert plan.deals == pytest.approx(30)
    assert (plan.activity_start, plan.activity_end) == (date(2027, 4, 1), date(2027, 7, 1))  # Q2 work for Q3
    assert plan.need["deals"].mid == 30
    (rep_plan,) = plan.reps
    assert rep_plan.working_days > 55 and rep_plan.per_day["first_contacts"] > 0
