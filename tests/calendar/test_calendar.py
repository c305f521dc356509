"""The sending calendar: business days, windows, holidays, DST (examples and properties)."""
from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import holidays
import pytest
from hypothesis import HealthCheck, assume, given, settings, strategies as st

from sequencer.calendar import (
    Due,
    Schedule,
    ScheduleError,
    business_days_between,
    days as cal_days,
    explain,
    holiday_name,
    is_open,
    next_due,
    nth_business_day,
)

UTC = UTC
WEEKDAYS = {"days": ["mon", "tue", "wed", "thu", "fri"], "window_start": "09:00", "window_end": "17:00",
            "holidays": "prospect", "fallback_timezone": "Europe/Vilnius"}


def sched(**overrides) -> Schedule:
    return Schedule.from_dict({**WEEKDAYS, **overrides})


def local(zone: str, *args, fold: int = 0) -> datetime:
    """An aware moment from a wall-clock time in `zone`, as UTC."""
    return datetime(*args, tzinfo=ZoneInfo(zone), fold=fold).astimezone(UTC)


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


# --- Schedule parsing ---------------------------------------------------------------------


def test_from_dict_defaults_and_round_trip():
    s = Schedule.from_dict({})
    assert s == Schedule(frozenset(range(5)), time(9), time(17), "prospect", "Europe/Vilnius")
    assert s.to_dict() == WEEKDAYS
    custom = {"days": ["sun", "Sat", "MON"], "window_start": "7:05", "window_end": "23:59",
              "holidays": "de", "fallback_timezone": "America/New_York"}
    parsed = Schedule.from_dict(custom)
    assert parsed.days == frozenset({0, 5, 6}) and parsed.holidays == "DE"
    assert parsed.to_dict() == {"days": ["mon", "sat", "sun"], "window_start": "07:05", "window_end": "23:59",
                                "holidays": "DE", "fallback_timezone": "America/New_York"}
    assert Schedule.from_dict(parsed.to_dict()) == parsed
    assert Schedule.from_dict({"holidays": None}).holidays is None
    assert Schedule.from_dict({"days": ["monday", "Friday"]}).days == frozenset({0, 4})


@pytest.mark.parametrize("data, field", [
    ({"days": ["mon", "funday"]}, "days"),
    ({"days": []}, "days"),
    ({"days": "mon"}, "days"),
    ({"days": [1]}, "days"),
    ({"window_start": "9"}, "window_start"),
    ({"window_start": "24:00"}, "window_start"),
    ({"window_start": "09:60"}, "window_start"),
    ({"window_end": "5pm"}, "window_end"),
    ({"window_end": 17}, "window_end"),
    ({"window_start": "17:00", "window_end": "09:00"}, "window_end"),
    ({"window_start": "09:00", "window_end": "09:00"}, "window_end"),
    ({"fallback_timezone": "Mars/Olympus"}, "fallback_timezone"),
    ({"fallback_timezone": ""}, "fallback_timezone"),
    ({"fallback_timezone": "../../etc/passwd"}, "fallback_timezone"),
    ({"holidays": "XX"}, "holidays"),
    ({"holidays": "everyone"}, "holidays"),
    ({"holidays": "LTU"}, "holidays"),
    ({"holidays": 7}, "holidays"),
    ({"window_strat": "09:00"}, "window_strat"),
])
def test_from_dict_errors_name_the_field(data, field):
    with pytest.raises(ScheduleError) as err:
        Schedule.from_dict(data)
    assert err.value.field == field
    assert err.value.message and field in str(err.value)
    assert isinstance(err.value, ValueError)


def test_from_dict_rejects_non_objects():
    with pytest.raises(ScheduleError) as err:
        Schedule.from_dict(["mon"])
    assert err.value.field == "schedule"


def test_direct_construction_is_validated():
    with pytest.raises(ScheduleError) as err:
        Schedule(frozenset({0}), time(22), time(6), None, "UTC")  # overnight
    assert err.value.field == "window_end"
    with pytest.raises(ScheduleError):
        Schedule(frozenset(), time(9), time(17), None, "UTC")
    with pytest.raises(ScheduleError):
        Schedule(frozenset({7}), time(9), time(17), None, "UTC")
    assert Schedule({0, 1}, time(9), time(17), "lt", "UTC").holidays == "LT"


# --- business days and holidays -----------------------------------------------------------

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


# --- next_due: ordinary cases -------------------------------------------------------------


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


# --- DST ----------------------------------------------------------------------------------


def test_vilnius_spring_forward():
    # 2026-03-29 (last Sunday of March): 03:00 EET -> 04:00 EEST at 01:00 UTC
    zone = "Europe/Vilnius"
    before = utc(2026, 3, 28, 12)
    gap_start = sched(days=["sun"], window_start="03:30", window_end="05:00")
    assert next_due(before, 0, gap_start, zone, None).at == utc(2026, 3, 29, 1)  # 04:00 EEST, first real instant
    assert next_due(before, 1, gap_start, zone, None) == Due(utc(2026, 3, 29, 1), None)
    # the brief's 02:30-04:00: 02:30-03:00 survives, 03:00-04:00 does not exist
    shortened = sched(days=["sun"], window_start="02:30", window_end="04:00")
    assert next_due(before, 0, shortened, zone, None).at == utc(2026, 3, 29, 0, 30)
    assert is_open(utc(2026, 3, 29, 0, 59), shortened, zone, None)
    assert not is_open(utc(2026, 3, 29, 1), shortened, zone, None)  # 04:00 EEST
    assert next_due(utc(2026, 3, 29, 1), 0, shortened, zone, None).at == local(zone, 2026, 4, 5, 2, 30)
    # an ordinary window on the Monday after
    assert next_due(utc(2026, 3, 27, 12), 1, sched(), zone, None).at == utc(2026, 3, 30, 6)


def test_vilnius_fall_back():
    # 2026-10-25: 04:00 EEST -> 03:00 EET at 01:00 UTC; 03:00-04:00 happens twice
    zone = "Europe/Vilnius"
    s = sched(days=["sun"], window_start="03:30", window_end="05:00")
    assert next_due(utc(2026, 10, 24, 12), 0, s, zone, None).at == utc(2026, 10, 25, 0, 30)  # first occurrence
    assert is_open(utc(2026, 10, 25, 0, 59), s, zone, None)
    assert not is_open(utc(2026, 10, 25, 1, 0), s, zone, None)  # back to 03:00 EET
    assert next_due(utc(2026, 10, 25, 1, 0), 0, s, zone, None) == Due(
        utc(2026, 10, 25, 1, 30), "outside window, opens Sun 03:30 Europe/Vilnius")
    assert next_due(utc(2026, 10, 23, 12), 1, sched(), zone, None).at == utc(2026, 10, 26, 7)


def test_new_york_spring_forward_and_fall_back():
    zone = "America/New_York"
    # 2026-03-08: 02:00 EST -> 03:00 EDT at 07:00 UTC
    s = sched(days=["sun"], window_start="02:30", window_end="04:00", holidays=None)
    assert next_due(utc(2026, 3, 7, 12), 0, s, zone, None) == Due(
        utc(2026, 3, 8, 7), "not a sending day (Sat), opens Sun 03:00 America/New_York")
    assert next_due(utc(2026, 3, 7, 12), 1, s, zone, None) == Due(utc(2026, 3, 8, 7), None)
    # a window entirely inside the gap does not exist that day
    lost = sched(days=["sun"], window_start="02:15", window_end="02:45", holidays=None)
    assert next_due(utc(2026, 3, 8, 5), 0, lost, zone, None).at == local(zone, 2026, 3, 15, 2, 15)
    due = next_due(utc(2026, 3, 7, 12), 1, lost, zone, None)
    assert due.at == local(zone, 2026, 3, 15, 2, 15)
    assert due.why_waiting == "outside window, opens Sun 15 Mar 02:15 America/New_York"
    # 2026-11-01: 02:00 EDT -> 01:00 EST at 06:00 UTC; 01:00-01:30 happens twice
    twice = sched(days=["sun"], window_start="01:00", window_end="01:30", holidays=None)
    assert next_due(utc(2026, 10, 31, 12), 0, twice, zone, None).at == utc(2026, 11, 1, 5)
    assert next_due(utc(2026, 11, 1, 5, 30), 0, twice, zone, None).at == utc(2026, 11, 1, 6)  # second pass
    assert is_open(utc(2026, 11, 1, 6, 29), twice, zone, None)
    assert next_due(utc(2026, 11, 1, 6, 30), 0, twice, zone, None).at == local(zone, 2026, 11, 8, 1)
    assert next_due(utc(2026, 10, 30, 12), 1, sched(holidays=None), zone, None).at == utc(2026, 11, 2, 14)


def test_sydney_southern_hemisphere():
    zone = "Australia/Sydney"
    s = sched(holidays=None)
    # DST ends 2026-04-05 (03:00 AEDT -> 02:00 AEST): Monday 09:00 AEST = Sunday 23:00 UTC
    assert next_due(local(zone, 2026, 4, 3, 12), 1, s, zone, None).at == utc(2026, 4, 5, 23)
    # DST starts 2026-10-04 (02:00 AEST -> 03:00 AEDT): Monday 09:00 AEDT = Sunday 22:00 UTC
    assert next_due(local(zone, 2026, 10, 2, 12), 1, s, zone, None).at == utc(2026, 10, 4, 22)
    gap = sched(days=["sun"], window_start="02:30", window_end="04:00", holidays=None)
    assert next_due(local(zone, 2026, 10, 3, 12), 0, gap, zone, None).at == utc(2026, 10, 3, 16)  # 03:00 AEDT
    shortened = sched(days=["sun"], window_start="01:30", window_end="02:30", holidays=None)
    assert next_due(local(zone, 2026, 10, 4, 1, 59), 0, shortened, zone, None).at == local(zone, 2026, 10, 4, 1, 59)
    assert next_due(local(zone, 2026, 10, 4, 3, 0), 0, shortened, zone, None).at == local(zone, 2026, 10, 11, 1, 30)
    # AU holidays through the prospect's country: Easter Monday 2026-04-06
    assert next_due(local(zone, 2026, 4, 3, 12), 1, sched(), zone, "AU").at == local(zone, 2026, 4, 7, 9)


def test_round_trip_through_local_time():
    for zone in ("Europe/Vilnius", "America/New_York", "Australia/Sydney", "Pacific/Chatham"):
        for start in (utc(2026, 3, 1), utc(2026, 9, 20), utc(2026, 10, 20)):
            due = next_due(start, 5, sched(days=["sun", "mon"], window_start="02:00", window_end="04:00"), zone, None)
            assert due.at.astimezone(ZoneInfo(zone)).astimezone(UTC) == due.at


# --- properties ---------------------------------------------------------------------------

ZONES = ["Europe/Vilnius", "America/New_York", "Australia/Sydney", "Asia/Kolkata", "Pacific/Chatham"]
_ref_holidays: dict[tuple[str, int], holidays.HolidayBase] = {}


def ref_zone(timezone_name, schedule):
    try:
        return ZoneInfo(timezone_name) if timezone_name else ZoneInfo(schedule.fallback_timezone)
    except Exception:
        return ZoneInfo(schedule.fallback_timezone)


def ref_code(schedule, country):
    if schedule.holidays == "prospect":
        return country
    return schedule.holidays


def ref_business(day, schedule, code):
    if day.weekday() not in schedule.days:
        return False
    if code is None:
        return True
    key = (code, day.year)
    if key not in _ref_holidays:
        _ref_holidays[key] = holidays.country_holidays(code, years=day.year)
    return day not in _ref_holidays[key]


def ref_valid(u, schedule, zone, code, first_day):
    wall = u.astimezone(zone)
    return (wall.date() >= first_day and ref_business(wall.date(), schedule, code)
            and schedule.window_start <= wall.time() < schedule.window_end)


def ref_nth(day, n, schedule, code):
    while n:
        day += timedelta(days=1)
        if ref_business(day, schedule, code):
            n -= 1
    return day


def ref_window_start(day, schedule, zone):
    """The first instant whose wall time on `day` is >= window_start (after the gap when it falls in one)."""
    wall = datetime.combine(day, schedule.window_start)
    first = wall.replace(tzinfo=zone).astimezone(UTC)
    if first.astimezone(zone).replace(tzinfo=None) == wall:
        return first
    u = wall.replace(tzinfo=zone, fold=1).astimezone(UTC)  # before the gap
    while u.astimezone(zone).replace(tzinfo=None) < wall:
        u += timedelta(minutes=1)
    return u


def check_due(after, wait_days, schedule, timezone_name, country):
    due = next_due(after, wait_days, schedule, timezone_name, country)
    zone, code = ref_zone(timezone_name, schedule), ref_code(schedule, country)
    at = due.at
    assert at.tzinfo is UTC
    wall = at.astimezone(zone)
    assert wall.astimezone(UTC) == at
    # (1) inside the window on a sending day, not a holiday
    assert wall.weekday() in schedule.days
    assert schedule.window_start <= wall.time() < schedule.window_end
    assert code is None or wall.date() not in holidays.country_holidays(code, years=wall.year)
    # (2) not before `after`
    assert at >= after
    # (3) at least the N-th business day
    first_day = ref_nth(after.astimezone(zone).date(), wait_days, schedule, code)
    assert wall.date() >= first_day
    # (4) the earliest: no earlier candidate (window starts of each day, `after`, and every minute
    # of days with an offset change) is valid; and the instant just before is not valid either
    if at > after:
        assert not ref_valid(after, schedule, zone, code, first_day)
        prev = at - timedelta(microseconds=1)
        assert prev < after or not ref_valid(prev, schedule, zone, code, first_day)
    day = after.astimezone(zone).date() - timedelta(days=1)
    while day <= wall.date():
        candidates = [datetime.combine(day, schedule.window_start, tzinfo=zone).replace(fold=f).astimezone(UTC)
                      for f in (0, 1)]
        midnight = datetime.combine(day, time(0), tzinfo=zone).astimezone(UTC)
        if midnight.astimezone(zone).utcoffset() != (midnight + timedelta(hours=26)).astimezone(zone).utcoffset():
            candidates += [midnight - timedelta(hours=2) + timedelta(minutes=m) for m in range(0, 30 * 60)]
        for c in candidates:
            if after <= c < at:
                assert not ref_valid(c, schedule, zone, code, first_day), (c, c.astimezone(zone))
        day += timedelta(days=1)
    # (5) consistent with is_open / explain
    assert is_open(at, schedule, timezone_name, country)
    assert explain(at, schedule, timezone_name, country) is None
    # why_waiting: None exactly when nothing but the wait held it back
    if wait_days == 0:
        assert due.why_waiting == explain(after, schedule, timezone_name, country)
    else:
        assert (due.why_waiting is None) == (at == max(after, ref_window_start(first_day, schedule, zone)))
    if due.why_waiting is not None:
        assert due.why_waiting.endswith(f" {zone.key}") and ", opens " in due.why_waiting
    return due


def minutes_to_time(m: int) -> time:
    return time(m // 60, m % 60)


@st.composite
def schedules(draw, start_minutes=st.integers(0, 23 * 60 + 58)):
    start = draw(start_minutes)
    end = draw(st.integers(start + 1, 23 * 60 + 59))
    days = draw(st.frozensets(st.integers(0, 6), min_size=1))
    calendar = draw(st.sampled_from(["prospect", "prospect", "LT", "DE", "US", None]))
    fallback = draw(st.sampled_from(ZONES))
    return Schedule(days, minutes_to_time(start), minutes_to_time(end), calendar, fallback)


prospect_zones = st.sampled_from(ZONES + [None, "Not/AZone"])
countries = st.sampled_from(["LT", "DE", "US", None])


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(after=st.datetimes(min_value=datetime(2024, 1, 1), max_value=datetime(2030, 12, 31, 23, 59),
                          timezones=st.just(UTC)),
       wait_days=st.integers(0, 10), schedule=schedules(), timezone_name=prospect_zones, country=countries)
def test_next_due_properties(after, wait_days, schedule, timezone_name, country):
    check_due(after, wait_days, schedule, timezone_name, country)


def _transitions() -> list[tuple[str, date]]:
    found = []
    for name in ZONES:
        zone = ZoneInfo(name)
        day = date(2024, 1, 1)
        while day < date(2031, 1, 1):
            nxt = day + timedelta(days=1)
            if datetime.combine(day, time(0), tzinfo=zone).utcoffset() != \
                    datetime.combine(nxt, time(0), tzinfo=zone).utcoffset():
                found.append((name, day))
            day = nxt
    return found


TRANSITIONS = _transitions()


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(transition=st.sampled_from(TRANSITIONS), hours_before=st.integers(-6, 72), minute=st.integers(0, 59),
       wait_days=st.integers(0, 2), schedule=schedules(start_minutes=st.integers(0, 5 * 60)),
       country=countries, include_sunday=st.booleans())
def test_next_due_properties_around_dst(transition, hours_before, minute, wait_days, schedule, country,
                                        include_sunday):
    name, day = transition
    if include_sunday:
        schedule = Schedule(schedule.days | {day.weekday()}, schedule.window_start,
                            min(schedule.window_end, time(6)) if schedule.window_start < time(5, 59)
                            else schedule.window_end, schedule.holidays, schedule.fallback_timezone)
    after = datetime.combine(day, time(0), tzinfo=UTC) - timedelta(hours=hours_before, minutes=minute)
    assume(datetime(2024, 1, 2, tzinfo=UTC) <= after)
    check_due(after, wait_days, schedule, name, country)


def test_transitions_found():
    assert {name for name, _ in TRANSITIONS} == set(ZONES) - {"Asia/Kolkata"}
