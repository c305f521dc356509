"""When a step is due, whether a moment is open, and why not."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from sequencer.calendar.days import _calendar_code, _holiday, _is_business, _zone, nth_business_day
from sequencer.calendar.schedule import DAY_LABELS, MAX_SEARCH_DAYS, MONTH_LABELS, Schedule, ScheduleError
from sequencer.calendar.windows import _windows, wall_offset
from sequencer.texts import tr

_UTC = UTC
_ONE_DAY = timedelta(days=1)


@dataclass(frozen=True)
class Due:
    at: datetime  # aware, UTC
    why_waiting: str | None  # None when `at` is the earliest moment the wait alone allows


def _to_utc_naive(moment: datetime) -> datetime:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("moments must be timezone-aware")
    return moment.astimezone(_UTC).replace(tzinfo=None)


def _first_open(after: datetime, first_day: date, zone: ZoneInfo, schedule: Schedule,
                code: str | None) -> datetime:
    """First instant >= `after` (naive UTC) inside the window of a business day >= first_day."""
    day = first_day
    for _ in range(MAX_SEARCH_DAYS + 1):
        if _is_business(day, schedule.days, code):
            for a, b, _first in _windows(zone, day, schedule.window_start, schedule.window_end):
                if b > after:
                    return max(a, after)
        day += _ONE_DAY
    raise ScheduleError("days", tr("no sending window within %(n)s days of %(start)s", n=MAX_SEARCH_DAYS, start=first_day))


def is_open(moment: datetime, schedule: Schedule, timezone: str | None, country: str | None) -> bool:
    """True when `moment` is inside the window of a business day in the prospect's local time."""
    local = _to_utc_naive(moment).replace(tzinfo=_UTC).astimezone(_zone(schedule, timezone))
    wall = local.time()
    return (schedule.window_start <= wall < schedule.window_end
            and _is_business(local.date(), schedule.days, _calendar_code(schedule, country)))


def _reason(local: datetime, schedule: Schedule, code: str | None) -> tuple[str | None, bool]:
    """(why `local` is closed or None, whether the reason is a holiday)."""
    day = local.date()
    if day.weekday() not in schedule.days:
        return tr("not a sending day (%(day)s)", day=DAY_LABELS[day.weekday()]), False
    name = _holiday(day, code)
    if name is not None:
        return tr("holiday: %(name)s (%(code)s)", name=name, code=code), True
    if not schedule.window_start <= local.time() < schedule.window_end:
        return tr("outside window"), False
    return None, False


def _describe(moment_utc: datetime, opens_utc: datetime, zone: ZoneInfo, schedule: Schedule,
              code: str | None) -> str:
    local = moment_utc.replace(tzinfo=_UTC).astimezone(zone)
    reason, is_holiday = _reason(local, schedule, code)
    reason = reason or tr("outside window")  # a DST-only corner; the wall clock says open, the window does not
    opens = opens_utc.replace(tzinfo=_UTC).astimezone(zone)
    label = DAY_LABELS[opens.weekday()]
    if is_holiday or (opens.date() - local.date()).days > 6:
        parts = {"weekday": label, "day": opens.day, "month": MONTH_LABELS[opens.month - 1]}
        if opens.year != local.year and (opens.date() - local.date()).days > 31:
            label = tr("%(weekday)s %(day)s %(month)s %(year)s", year=opens.year, **parts)
        else:
            label = tr("%(weekday)s %(day)s %(month)s", **parts)
    return tr("%(reason)s, opens %(when)s %(time)s %(zone)s", reason=reason, when=label, time=opens.strftime("%H:%M"),
              zone=zone.key)


def next_due(after: datetime, wait_days: int, schedule: Schedule, timezone: str | None,
             country: str | None) -> Due:
    """When a step waiting `wait_days` business days after `after` goes out.

    wait_days == 0: the first instant >= after inside the window of a business day.
    wait_days == N > 0: D = the N-th business day strictly after after's local date; the first
    instant >= after inside the window of a business day whose local date is >= D.
    `why_waiting` is None when the result equals the earliest moment the wait alone allows
    (`after` for N == 0; max(after, first instant of D at or past window_start) for N > 0),
    else explains why that moment was closed and when the window opens.
    """
    if isinstance(wait_days, bool) or not isinstance(wait_days, int) or wait_days < 0:
        raise ValueError("wait_days must be an integer >= 0")
    zone, code = _zone(schedule, timezone), _calendar_code(schedule, country)
    start = _to_utc_naive(after)
    first_day = start.replace(tzinfo=_UTC).astimezone(zone).date()
    earliest = start
    if wait_days:
        first_day = nth_business_day(first_day, wait_days, schedule, country)
        spans = _windows(zone, first_day, schedule.window_start, schedule.window_end)
        if spans:
            earliest = max(start, spans[0][2])
        else:  # the whole window is lost in a DST gap: the earliest allowed is where it would open
            ws = datetime.combine(first_day, schedule.window_start)
            earliest = max(start, ws - wall_offset(zone, ws))
    at = _first_open(start, first_day, zone, schedule, code)
    why = None if at == earliest else _describe(earliest, at, zone, schedule, code)
    return Due(at.replace(tzinfo=_UTC), why)


def explain(moment: datetime, schedule: Schedule, timezone: str | None, country: str | None) -> str | None:
    """Why nothing can go out at `moment` (and when it opens), or None when it can."""
    zone, code = _zone(schedule, timezone), _calendar_code(schedule, country)
    start = _to_utc_naive(moment)
    if is_open(moment, schedule, timezone, country):
        return None
    try:
        opens = _first_open(start, start.replace(tzinfo=_UTC).astimezone(zone).date(), zone, schedule, code)
    except ScheduleError:
        reason, _ = _reason(start.replace(tzinfo=_UTC).astimezone(zone), schedule, code)
        return tr("%(reason)s, no opening within %(n)s days", reason=reason or tr("outside window"), n=MAX_SEARCH_DAYS)
    return _describe(start, opens, zone, schedule, code)
