"""next_due in ordinary weeks: weekends, holidays, windows, time zones, explanations and bad input."""
from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from sequencer.calendar import Due, ScheduleError, days as cal_days, explain, is_open, next_due
from tests.calendar.helpers import local, sched, utc


def test_weekend_is_skipped():
    s = sched()
    done = local("Europe/Vilnius", 2026, 1, 9, 15)  # Friday
    assert next_due(done, 2, s, "Europe/Vilnius", "LT") == Due(local("Europe/Vilnius", 2026, 1, 13, 9), None)
    assert next_due(done, 1, s, "Europe/Vilnius", "LT").at == local("Europe/Vilnius", 2026, 1, 12, 9)
    # wait 0 inside the window: right away
    assert next_due(done, 0, s, "Europe/Vilnius", "LT") == Due(done, None)
    # wait 0 after hours on Friday: Monday, explained
    late = local("Europe/Vilnius", 2026, 1, 9, 18, 30)
    assert next_due(late, 0, s, "Europe/Vilnius", "LT") == Due(
        local("Europe/Vilnius", 2026, 1, 12, 9), "outside window, opens Mon 09:00 Europe/Vilnius")
    saturday = local("America/New_York", 2026, 1, 10, 11)
    assert next_due(saturday, 0, s, "America/New_York", "US") == Due(
        local("America/New_York", 2026, 1, 12, 9), "not a sending day (Sat), opens Mon 09:00 America/New_York")


def test_holiday_on_the_due_day_moves_it():
    s = sched()
    done = local("Europe/Vilnius", 2027, 2, 12, 15)  # Friday; Tue 16 Feb 2027 is a holiday
    assert next_due(done, 2, s, "Europe/Vilnius", "LT").at == local("Europe/Vilnius", 2027, 2, 17, 9)
    assert next_due(done, 2, s, "Europe/Vilnius", None).at == local("Europe/Vilnius", 2027, 2, 16, 9)


def test_lithuanian_christmas():
    s = sched()
    eve = local("Europe/Vilnius", 2026, 12, 24, 10)
    assert next_due(eve, 0, s, "Europe/Vilnius", "LT") == Due(
        local("Europe/Vilnius", 2026, 12, 28, 9),
        "holiday: Christmas Eve (LT), opens Mon 28 Dec 09:00 Europe/Vilnius")
    assert explain(eve, s, "Europe/Vilnius", "LT") == \
        "holiday: Christmas Eve (LT), opens Mon 28 Dec 09:00 Europe/Vilnius"
    assert next_due(local("Europe/Vilnius", 2026, 12, 22, 12), 2, s, None, "LT").at == \
        local("Europe/Vilnius", 2026, 12, 28, 9)
    # holidays=None ignores them
    assert next_due(eve, 0, sched(holidays=None), "Europe/Vilnius", "LT") == Due(eve, None)


def test_german_holiday_with_fixed_calendar():
    s = sched(holidays="DE", fallback_timezone="Europe/Berlin")
    done = local("Europe/Berlin", 2025, 10, 2, 15)  # Thu; Fri 3 Oct 2025 is German Unity Day
    assert next_due(done, 1, s, None, "LT").at == local("Europe/Berlin", 2025, 10, 6, 9)
    assert next_due(done, 1, s, None, None).at == local("Europe/Berlin", 2025, 10, 6, 9)
    assert next_due(done, 1, sched(holidays=None, fallback_timezone="Europe/Berlin"), None, "DE").at == \
        local("Europe/Berlin", 2025, 10, 3, 9)
    unity = local("Europe/Berlin", 2025, 10, 3, 10)
    assert explain(unity, s, None, None) == \
        "holiday: German Unity Day (DE), opens Mon 6 Oct 09:00 Europe/Berlin"


def test_prospect_zone_and_fallbacks():
    s = sched()
    done = utc(2026, 1, 14, 12)  # Wed
    vilnius = local("Europe/Vilnius", 2026, 1, 15, 9)
    assert next_due(done, 1, s, None, None).at == vilnius
    assert next_due(done, 1, s, "Mars/Olympus", None).at == vilnius
    assert next_due(done, 1, s, "", None).at == vilnius
    assert next_due(done, 1, s, "not a zone at all", None).at == vilnius
    assert next_due(done, 1, s, "Asia/Kolkata", None).at == local("Asia/Kolkata", 2026, 1, 15, 9)
    assert next_due(done, 1, s, "America/New_York", None).at == local("America/New_York", 2026, 1, 15, 9)
    # the local date of `after` decides: 23:00 UTC Wed is already Thu in Kolkata
    assert next_due(utc(2026, 1, 14, 23), 1, s, "Asia/Kolkata", None).at == local("Asia/Kolkata", 2026, 1, 16, 9)


def test_is_open_and_explain():
    s = sched()
    assert is_open(local("Europe/Vilnius", 2026, 1, 12, 9), s, None, "LT")
    assert not is_open(local("Europe/Vilnius", 2026, 1, 12, 17), s, None, "LT")  # end is exclusive
    assert is_open(local("Europe/Vilnius", 2026, 1, 12, 16, 59, 59), s, None, "LT")
    assert not is_open(local("Europe/Vilnius", 2026, 1, 12, 8, 59), s, None, "LT")
    assert explain(local("Europe/Vilnius", 2026, 1, 12, 12), s, None, "LT") is None
    assert explain(local("Europe/Vilnius", 2026, 1, 12, 7), s, None, "LT") == \
        "outside window, opens Mon 09:00 Europe/Vilnius"
    # a Saturday Christmas: the day reason comes first
    assert explain(local("Europe/Vilnius", 2027, 12, 25, 12), s, None, "LT").startswith("not a sending day (Sat)")
    # far openings carry the date
    sundays = sched(days=["sun"])
    assert explain(local("Europe/Vilnius", 2026, 1, 11, 18), sundays, None, None) == \
        "outside window, opens Sun 18 Jan 09:00 Europe/Vilnius"


def test_bad_arguments():
    s = sched()
    with pytest.raises(ValueError):
        next_due(datetime(2026, 1, 1, 12), 0, s, None, None)
    with pytest.raises(ValueError):
        is_open(datetime(2026, 1, 1, 12), s, None, None)
    with pytest.raises(ValueError):
        next_due(utc(2026, 1, 1, 12), -1, s, None, None)


def test_no_business_day_is_refused(monkeypatch):
    every_day = {date(2026, 1, 1) + timedelta(days=i): "Forever Holiday" for i in range(3 * 366)}
    monkeypatch.setattr(cal_days, "_holiday_map", lambda code, year: every_day)
    with pytest.raises(ScheduleError) as err:
        next_due(utc(2026, 1, 1, 12), 1, sched(), None, "LT")
    assert err.value.field == "days"
    with pytest.raises(ScheduleError):
        next_due(utc(2026, 1, 1, 12), 0, sched(), None, "LT")
    assert "no opening" in explain(utc(2026, 1, 1, 12), sched(), None, "LT")


def test_non_utc_input_gives_utc_output():
    s = sched()
    due = next_due(datetime(2026, 1, 9, 15, tzinfo=ZoneInfo("Europe/Vilnius")), 2, s, None, None)
    assert due.at.tzinfo is UTC and due.at == utc(2026, 1, 13, 7)
