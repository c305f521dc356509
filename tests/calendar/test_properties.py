"""next_due against a reference model on random schedules, and around every DST change (hypothesis)."""
from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import holidays
from hypothesis import HealthCheck, assume, given, settings, strategies as st

from sequencer.calendar import Schedule, explain, is_open, next_due

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
