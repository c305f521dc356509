"""Business days: which holiday calendar applies, and counting days across holidays and weekends."""
from __future__ import annotations

from datetime import date

import pytest

from sequencer.calendar import business_days_between, explain, holiday_name, is_open, nth_business_day
from tests.calendar.helpers import local, sched

LT_2026 = [date(2026, 12, 24), date(2026, 12, 25), date(2026, 12, 26), date(2026, 2, 16), date(2026, 3, 11),
           date(2026, 4, 6), date(2026, 5, 1), date(2026, 6, 24), date(2026, 7, 6), date(2026, 8, 15),
           date(2026, 11, 1), date(2026, 11, 2)]


@pytest.mark.parametrize("day", LT_2026)
def test_lithuanian_holidays(day):
    s = sched(days=["mon", "tue", "wed", "thu", "fri", "sat", "sun"])
    assert holiday_name(day, s, "LT")
    noon = local("Europe/Vilnius", day.year, day.month, day.day, 12)
    assert not is_open(noon, s, "Europe/Vilnius", "LT")
    assert explain(noon, s, "Europe/Vilnius", "LT").startswith(f"holiday: {holiday_name(day, s, 'LT')} (LT)")
    assert is_open(noon, s, "Europe/Vilnius", None)  # no country, no calendar


def test_holiday_calendar_choice():
    xmas_eve = date(2026, 12, 24)
    assert holiday_name(xmas_eve, sched(), "LT") == "Christmas Eve"
    assert holiday_name(xmas_eve, sched(), "lt") == "Christmas Eve"
    assert holiday_name(xmas_eve, sched(), None) is None
    assert holiday_name(xmas_eve, sched(), "ZZ") is None  # unknown country: no calendar
    assert holiday_name(xmas_eve, sched(holidays="DE"), "LT") is None  # fixed code wins
    assert holiday_name(date(2025, 10, 3), sched(holidays="DE"), None) == "German Unity Day"
    assert holiday_name(xmas_eve, sched(holidays=None), "LT") is None
    assert holiday_name(date(2026, 12, 23), sched(), "LT") is None


def test_business_day_counting():
    s = sched()
    # Fri 2026-12-18: Mon 21, Tue 22, Wed 23 then 24-27 closed, Mon 28
    assert nth_business_day(date(2026, 12, 18), 3, s, "LT") == date(2026, 12, 23)
    assert nth_business_day(date(2026, 12, 18), 4, s, "LT") == date(2026, 12, 28)
    assert nth_business_day(date(2026, 12, 18), 4, s, None) == date(2026, 12, 24)
    assert nth_business_day(date(2026, 12, 18), 0, s, "LT") == date(2026, 12, 18)
    assert business_days_between(date(2026, 12, 18), date(2026, 12, 28), s, "LT") == 4
    assert business_days_between(date(2026, 12, 18), date(2026, 12, 28), s, None) == 6
    assert business_days_between(date(2026, 12, 28), date(2026, 12, 18), s, None) == 0
