"""IANA time zones in one place: stored names may be bad, so looking one up never raises, and "today" is DST-safe.

The calendar (sequencer/calendar/) keeps its own lookups on purpose: it is pure and imports nothing of the app.
"""
from __future__ import annotations

from datetime import date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sequencer.texts import tr

UTC_ZONE = ZoneInfo("UTC")


@lru_cache(maxsize=1024)
def _lookup(name: str) -> ZoneInfo | None:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):  # unknown, malformed ("../x", ""), unreadable
        return None


def is_valid_zone(name: object) -> bool:
    """True for a known IANA name exactly as given (no trimming, no case folding); False for anything else."""
    return isinstance(name, str) and _lookup(name) is not None


def zone_problem(name: object) -> str | None:
    """What a person reads when `name` is not a time zone; None when it is one."""
    return None if is_valid_zone(name) else tr("unknown IANA time zone %(name)s (e.g. Europe/Vilnius)", name=repr(name))


def zone(name: str | None, fallback: str | None = "UTC") -> ZoneInfo:
    """`name`'s zone, else `fallback`'s, else UTC: a missing or unknown stored name must not break a page or a job."""
    for candidate in (name, fallback):
        if candidate and isinstance(candidate, str) and (found := _lookup(candidate)) is not None:
            return found
    return UTC_ZONE


def _as_zone(tz: ZoneInfo | str | None) -> ZoneInfo:
    return tz if isinstance(tz, ZoneInfo) else zone(tz)


def local_date(moment: datetime, tz: ZoneInfo | str | None) -> date:
    """The calendar day `moment` (aware) falls on in `tz`."""
    return moment.astimezone(_as_zone(tz)).date()


def day_start(day: date, tz: ZoneInfo | str | None) -> datetime:
    """Local midnight starting `day` in `tz`, as an aware datetime in that zone."""
    return datetime.combine(day, time.min, tzinfo=_as_zone(tz))


def local_midnight(moment: datetime, tz: ZoneInfo | str | None) -> datetime:
    """Local midnight starting the day `moment` (aware) falls on in `tz`."""
    tz = _as_zone(tz)
    return day_start(local_date(moment, tz), tz)


def day_bounds(moment: datetime, tz: ZoneInfo | str | None) -> tuple[datetime, datetime]:
    """Start and end (the next local midnight) of the local day `moment` falls on: 23 or 25 hours on DST days."""
    tz = _as_zone(tz)
    today = local_date(moment, tz)
    return day_start(today, tz), day_start(today + timedelta(days=1), tz)


@lru_cache(maxsize=1)
def zone_names() -> tuple[str, ...]:
    """Every IANA name this machine knows, "Region/City" ones first and sorted (the time-zone pickers)."""
    from zoneinfo import available_timezones

    names = [n for n in available_timezones() if "/" in n and not n.startswith(("Etc/", "SystemV/", "posix/", "right/"))]
    return (*sorted(names), "UTC")
