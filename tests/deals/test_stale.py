"""Stale rule edges: exactly at the threshold, the owner's time zone, a planned follow-up; derived last activity."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from sequencer.deals.activity import activity_for
from sequencer.deals.stale import assess, rules_of, stale_from
from sequencer.models import Event, TaskStatus

UTC = UTC
# Monday 23 Nov 2026, 21:30 UTC = 23:30 in Vilnius (UTC+2), 16:30 in New York (UTC-5)
LAST = datetime(2026, 11, 23, 21, 30, tzinfo=UTC)


def _deal(factory, tz="Europe/Vilnius", stage="proposal", created=LAST):
    return factory.opportunity(stage=stage, owner=factory.user("rep", timezone=tz), created_at=created)


def _assess(session, opp, now):
    activity = activity_for(session, [opp], now)[opp.id]
    return assess(opp, activity, rules_of(session), opp.owner.timezone, now)


def test_stale_exactly_from_local_midnight_of_the_nth_day(session, factory):
    opp = _deal(factory)  # proposal: 5 days; last activity on Monday (Vilnius) -> stale from Saturday 00:00 Vilnius
    threshold = datetime(2026, 11, 27, 22, 0, tzinfo=UTC)
    assert stale_from(LAST, 5, "Europe/Vilnius") == threshold
    assert _assess(session, opp, threshold - timedelta(seconds=1)) is None
    found = _assess(session, opp, threshold)
    assert found.since == threshold and found.quiet_days == 5 and found.rule_days == 5
    assert found.reason.startswith("No activity for 5 days (last: opportunity created)")


def test_the_same_moment_is_counted_on_the_owners_calendar(session, factory):
    vilnius, new_york = _deal(factory, "Europe/Vilnius"), _deal(factory, "America/New_York")
    friday_night_utc = datetime(2026, 11, 27, 22, 0, tzinfo=UTC)
    assert _assess(session, vilnius, friday_night_utc) is not None
    assert _assess(session, new_york, friday_night_utc) is None  # still Friday 17:00 in New York
    ny_threshold = datetime(2026, 11, 28, 5, 0, tzinfo=UTC)  # Saturday 00:00 in New York
    assert _assess(session, new_york, ny_threshold - timedelta(seconds=1)) is None
    assert _assess(session, new_york, ny_threshold).since == ny_threshold


def test_days_are_calendar_days_across_a_dst_change():
    # last activity Friday 23 Oct 2026 12:00 Vilnius (UTC+3); clocks go back on Sunday 25 Oct
    last = datetime(2026, 10, 23, 9, 0, tzinfo=UTC)
    assert stale_from(last, 3, "Europe/Vilnius") == datetime(2026, 10, 25, 22, 0, tzinfo=UTC)  # Mon 00:00 UTC+2


def test_an_open_task_planned_in_the_future_keeps_the_deal_fresh(session, factory):
    opp = _deal(factory)
    now = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
    assert _assess(session, opp, now) is not None
    factory.task("call", owner=opp.owner, prospect=opp.prospect, due_at=now - timedelta(hours=1), title="Call back")
    assert _assess(session, opp, now) is not None  # an overdue task is not a plan
    factory.task("call", owner=opp.owner, prospect=opp.prospect, due_at=now + timedelta(days=2),
                 title="Demo follow-up")
    assert _assess(session, opp, now) is None
    assert _assess(session, opp, now + timedelta(days=3)) is not None  # once its time has passed, it is stale again


def test_closed_deals_and_stages_without_a_rule_are_never_stale(session, factory):
    later = LAST + timedelta(days=90)
    assert _assess(session, _deal(factory, stage="closed_won"), later) is None
    assert _assess(session, _deal(factory, stage="prospecting"), later) is None  # no default rule


def test_last_activity_comes_from_the_contact_the_company_and_the_deal(session, factory):
    opp = _deal(factory)
    colleague = factory.prospect(company=opp.prospect.company)
    stranger = factory.prospect()
    t = LAST + timedelta(days=1)
    session.add_all([
        Event(kind="replied", occurred_at=t, prospect_id=colleague.id),
        Event(kind="opened", occurred_at=t + timedelta(days=2), prospect_id=opp.prospect_id),  # not activity
        Event(kind="replied", occurred_at=t + timedelta(days=3), prospect_id=stranger.id),  # another company
    ])
    session.flush()
    got = activity_for(session, [opp], t + timedelta(days=5))[opp.id]
    assert (got.last_at, got.last_kind) == (t, "replied")
    factory.task("call", status=TaskStatus.DONE, owner=opp.owner, opportunity_id=opp.id, due_at=t,
                 completed_at=t + timedelta(days=1), title="Call")
    session.add(Event(kind="note", occurred_at=t + timedelta(hours=5), opportunity_id=opp.id))
    session.flush()
    got = activity_for(session, [opp], t + timedelta(days=5))[opp.id]
    assert (got.last_at, got.last_kind) == (t + timedelta(days=1), "task_completed")


@pytest.mark.parametrize("kind", ["sent", "meeting_booked", "call_logged", "stage_changed"])
def test_each_activity_kind_counts(session, factory, kind):
    opp = _deal(factory)
    at = LAST + timedelta(days=2)
    session.add(Event(kind=kind, occurred_at=at, prospect_id=opp.prospect_id))
    session.flush()
    assert activity_for(session, [opp], at)[opp.id].last_kind == kind
