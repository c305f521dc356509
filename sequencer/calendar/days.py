"""Which zone and holiday calendar apply to a prospect, and which local dates are business days."""
from __future__ import annotations

import functools
from datetime import date, timedelta
from zoneinfo import ZoneInfo

import holidays as holidays_pkg

from sequencer.calendar.schedule import (
    MAX_SEARCH_DAYS,
    PROSPECT,
    Schedule,
    ScheduleError,
    _known_country,
    _valid_zone,
    _zone_or_none,
)
from sequencer.texts import tr

_ONE_DAY = timedelta(days=1)


def _zone(schedule: Schedule, timezone: str | None) -> ZoneInfo:
    zone = _valid_zone(timezone) or _zone_or_none(schedule.fallback_timezone)
    assert zone is not None  # a Schedule checks its fallback_timezone when it is built
    return zone


def _calendar_code(schedule: Schedule, country: str | None) -> str | None:
    if schedule.holidays is None:
        return None
    if schedule.holidays == PROSPECT:
        return _known_country(country)
    return schedule.holidays


@functools.lru_cache(maxsize=4096)
def _holiday_map(code: str, year: int) -> dict[date, str]:
    """{date: name} for one country and year, English names where the package has them."""
    return dict(holidays_pkg.country_holidays(code, years=year, language="en_US").items())


def _holiday(day: date, code: str | None) -> str | None:
    return None if code is None else _holiday_map(code, day.year).get(day)


def _is_business(day: date, days: frozenset[int], code: str | None) -> bool:
    return day.weekday() in days and (code is None or day not in _holiday_map(code, day.year))


def holiday_name(day: date, schedule: Schedule, country: str | None) -> str | None:
    """Name of the holiday on local date `day` in the calendar the schedule picks, or None."""
    return _holiday(day, _calendar_code(schedule, country))


def nth_business_day(start: date, n: int, schedule: Schedule, country: str | None) -> date:
    """The n-th business day strictly after `start` (n >= 1); `start` itself when n == 0."""
    if n < 0:
        raise ValueError("n must be >= 0")
    code = _calendar_code(schedule, country)
    day, gap = start, 0
    while n:
        day += _ONE_DAY
        if _is_business(day, schedule.days, code):
            n -= 1
            gap = 0
        else:
            gap += 1
            if gap > MAX_SEARCH_DAYS:
                raise ScheduleError("days", tr("no business day within %(n)s days of %(start)s", n=MAX_SEARCH_DAYS, start=start))
    return day


def business_days_between(start: date, end: date, schedule: Schedule, country: str | None) -> int:
    """How many business days lie in (start, end]; 0 when end <= start."""
    code = _calendar_code(schedule, country)
    count, day = 0, start + _ONE_DAY
    while day <= end:
        count += _is_business(day, schedule.days, code)
        day += _ONE_DAY
    return count
