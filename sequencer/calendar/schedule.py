"""Schedule: the sending days, window, holiday calendar and fallback zone of a sequence."""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from datetime import time
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import holidays as holidays_pkg

from sequencer.texts import tr

DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DAY_LABELS = (tr("Mon"), tr("Tue"), tr("Wed"), tr("Thu"), tr("Fri"), tr("Sat"), tr("Sun"))
_DAY_NUMBERS = {name: i for i, name in enumerate(DAY_NAMES)} | {
    name: i for i, name in enumerate(("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"))}
MONTH_LABELS = (tr("Jan"), tr("Feb"), tr("Mar"), tr("Apr"), tr("May"), tr("Jun"), tr("Jul"), tr("Aug"), tr("Sep"),
                tr("Oct"), tr("Nov"), tr("Dec"))
PROSPECT = "prospect"
MAX_SEARCH_DAYS = 366 * 2
DEFAULTS = {
    "days": ["mon", "tue", "wed", "thu", "fri"],
    "window_start": "09:00",
    "window_end": "17:00",
    "holidays": PROSPECT,
    "fallback_timezone": "Europe/Vilnius",
}
_HHMM = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")


class ScheduleError(ValueError):
    """An invalid schedule (or one that can never send); `field` names the offending key."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


@functools.cache
def _supported_countries() -> frozenset[str]:
    return frozenset(code for code in holidays_pkg.list_supported_countries() if len(code) == 2)


def _known_country(code: object) -> str | None:
    """The upper-cased alpha-2 code when the holidays package knows it, else None."""
    if not isinstance(code, str):
        return None
    code = code.strip().upper()
    return code if code in _supported_countries() else None


@functools.lru_cache(maxsize=1024)
def _zone_or_none(name: str) -> ZoneInfo | None:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, TypeError, OSError):
        return None


def _valid_zone(name: object) -> ZoneInfo | None:
    if not isinstance(name, str) or not name.strip():
        return None
    return _zone_or_none(name.strip())


@dataclass(frozen=True)
class Schedule:
    days: frozenset[int]  # 0=Mon .. 6=Sun
    window_start: time
    window_end: time  # > window_start; no overnight windows
    holidays: str | None  # "prospect", an ISO alpha-2 code, or None
    fallback_timezone: str  # IANA

    def __post_init__(self) -> None:
        days = self.days
        if not isinstance(days, frozenset):
            try:
                days = frozenset(days)
            except TypeError:
                raise ScheduleError("days", tr("must be a set of weekday numbers 0..6")) from None
            object.__setattr__(self, "days", days)
        if not days:
            raise ScheduleError("days", tr("needs at least one day"))
        if any(isinstance(d, bool) or not isinstance(d, int) or not 0 <= d <= 6 for d in days):
            raise ScheduleError("days", tr("weekdays are numbers 0 (Mon) .. 6 (Sun)"))
        for field in ("window_start", "window_end"):
            value = getattr(self, field)
            if not isinstance(value, time) or value.tzinfo is not None or value.second or value.microsecond:
                raise ScheduleError(field, tr("must be a naive time in whole minutes"))
        if self.window_end <= self.window_start:
            raise ScheduleError("window_end", tr("must be later than window_start (no overnight windows)"))
        if self.holidays is not None and self.holidays != PROSPECT:
            code = _known_country(self.holidays)
            if code is None:
                raise ScheduleError("holidays", tr("unknown holiday calendar %(code)s", code=repr(self.holidays)))
            object.__setattr__(self, "holidays", code)
        if _valid_zone(self.fallback_timezone) is None:
            raise ScheduleError("fallback_timezone", tr("unknown time zone %(zone)s", zone=repr(self.fallback_timezone)))
        object.__setattr__(self, "fallback_timezone", self.fallback_timezone.strip())

    @classmethod
    def from_dict(cls, data: dict) -> Schedule:
        """Parse the API form. Missing keys (or null, except for `holidays`) take the defaults."""
        if not isinstance(data, dict):
            raise ScheduleError("schedule", tr("must be an object"))
        unknown = sorted(set(data) - set(DEFAULTS), key=str)
        if unknown:
            raise ScheduleError(str(unknown[0]), tr("unknown field"))

        def value(key: str) -> object:
            if key == "holidays":
                return data.get(key, DEFAULTS[key])
            got = data.get(key)
            return DEFAULTS[key] if got is None else got

        raw_days = value("days")
        if isinstance(raw_days, str) or not isinstance(raw_days, (list, tuple)):
            raise ScheduleError("days", tr("must be a list of day names (mon..sun)"))
        days = set()
        for name in raw_days:
            number = _DAY_NUMBERS.get(name.strip().lower()) if isinstance(name, str) else None
            if number is None:
                raise ScheduleError("days", tr("unknown day %(name)s (use mon..sun)", name=repr(name)))
            days.add(number)
        if not days:
            raise ScheduleError("days", tr("needs at least one day"))

        start = _parse_hhmm("window_start", value("window_start"))
        end = _parse_hhmm("window_end", value("window_end"))
        if end <= start:
            raise ScheduleError("window_end", tr("must be later than window_start (no overnight windows)"))

        raw_holidays = value("holidays")
        if raw_holidays is None:
            calendar = None
        elif isinstance(raw_holidays, str) and raw_holidays.strip().lower() == PROSPECT:
            calendar = PROSPECT
        else:
            calendar = _known_country(raw_holidays)
            if calendar is None:
                raise ScheduleError(
                    "holidays", tr("must be \"prospect\", null or a supported country code, not %(value)s",
                                   value=repr(raw_holidays)))

        zone = value("fallback_timezone")
        if not isinstance(zone, str) or _valid_zone(zone) is None:
            raise ScheduleError("fallback_timezone", tr("unknown time zone %(zone)s", zone=repr(zone)))
        return cls(frozenset(days), start, end, calendar, zone.strip())

    def to_dict(self) -> dict:
        return {
            "days": [DAY_NAMES[d] for d in sorted(self.days)],
            "window_start": self.window_start.strftime("%H:%M"),
            "window_end": self.window_end.strftime("%H:%M"),
            "holidays": self.holidays,
            "fallback_timezone": self.fallback_timezone,
        }


def _parse_hhmm(field: str, raw: object) -> time:
    match = _HHMM.match(raw.strip()) if isinstance(raw, str) else None
    if match is None:
        raise ScheduleError(field, tr("must be HH:MM (00:00..23:59), not %(value)s", value=repr(raw)))
    return time(int(match.group(1)), int(match.group(2)))
