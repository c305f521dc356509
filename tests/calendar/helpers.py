"""A Mon-Fri 09:00-17:00 schedule to vary, and moments written as wall-clock time in a zone or in UTC."""
from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from sequencer.calendar import Schedule

WEEKDAYS = {"days": ["mon", "tue", "wed", "thu", "fri"], "window_start": "09:00", "window_end": "17:00",
            "holidays": "prospect", "fallback_timezone": "Europe/Vilnius"}


def sched(**overrides) -> Schedule:
    return Schedule.from_dict({**WEEKDAYS, **overrides})


def local(zone: str, *args, fold: int = 0) -> datetime:
    """An aware moment from a wall-clock time in `zone`, as UTC."""
    return datetime(*args, tzinfo=ZoneInfo(zone), fold=fold).astimezone(UTC)


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)
