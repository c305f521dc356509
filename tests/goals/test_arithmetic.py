"""The reverse funnel's arithmetic, the playbook's example, the split and the cycle shift."""
from __future__ import annotations

from datetime import date

import pytest

from sequencer.goals import funnel, periods
from sequencer.goals.funnel import Rate

ONES = dict.fromkeys(funnel.RATE_KEYS, 1.0)


def _fixed(values: dict[str, float]) -> dict[str, Rate]:
    return {k: Rate(v, v, v, 0, 0, "assumed", "assumption") for k, v in values.items()}


def test_playbook_example_revenue_to_deals_to_first_contacts():
    # €1.2M a year at €30k average deal = 40 deals, 3-4 a month
    deals = funnel.deals_needed(1_200_000, None, 30_000)
    assert deals == 40
    slices = periods.split(date(2027, 1, 1), date(2027, 12, 31))
    per_month = [deals * s.share for s in slices]
    assert all(3 <= d <= 4 for d in per_month) and sum(per_month) == pytest.approx(40)
    # 5% from first contact to sale: 4 new clients a month need 80 first contacts
    rates = _fixed({**ONES, "reply": 0.05, "first_contact": 0.25})
    need = funnel.reverse(4, rates)
    assert need["first_contacts"].mid == 80
    assert need["touches"].mid == 320  # four touches per first contact
    assert need["deals"].mid == 4


def test_the_range_uses_the_interval_bounds_lowest_need_from_the_highest_rate():
    rates = _fixed(ONES)
    rates["reply"] = Rate(0.05, 0.025, 0.1, 400, 20, "measured", "team")
    need = funnel.reverse(4, rates)
    assert (need["first_contacts"].low, need["first_contacts"].mid, need["first_contacts"].high) == (40, 80, 160)


def test_a_zero_lower_bound_leaves_the_high_end_open():
    rates = _fixed(ONES)
    rates["won"] = Rate(0.0, 0.0, 0.1, 30, 0, "measured", "team")
    need = funnel.reverse(2, rates)
    assert need["negotiations"].high is None and need["touches"].high is None
    assert need["negotiations"].low == 20


def test_deals_needed_from_a_deals_target_or_zero_without_a_deal_size():
    assert funnel.deals_needed(None, 12, None) == 12
    assert funnel.deals_needed(100_000, None, None) == 0


def test_seasonality_weights_split_the_target():
    slices = periods.split(date(2027, 1, 1), date(2027, 3, 31), [1, 1, 2])
    assert [round(s.share, 2) for s in slices] == [0.25, 0.25, 0.5]
    (q1,) = periods.quarters(slices)
    assert q1.share == pytest.approx(1.0) and q1.start == date(2027, 1, 1) and q1.end == date(2027, 3, 31)


def test_even_split_follows_month_lengths_and_clips_the_period():
    slices = periods.split(date(2027, 1, 15), date(2027, 2, 28))
    assert [(s.start, s.end) for s in slices] == [(date(2027, 1, 15), date(2027, 1, 31)),
                                                   (date(2027, 2, 1), date(2027, 2, 28))]
    assert slices[0].share == pytest.approx(17 / 45)


def test_cycle_shift_a_q3_target_asks_for_q2_activity():
    start, end = periods.activity_window(date(2027, 7, 1), date(2027, 9, 30), 91)
    assert start == date(2027, 4, 1) and end == date(2027, 7, 1)
    assert periods.quarters(periods.split(start, date(2027, 6, 30)))[0].start.month == 4
