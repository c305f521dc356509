"""Minutes of an owner's business hours (Monday to Friday, 09:00–17:00 in their own time zone) between two
moments: escalation clocks stop at night and over the weekend. Pure: no I/O."""
from __future__ import annotations

from datetime import datetime, time, timedelta

from sequencer.platform.timezones import zone

OPEN, CLOSE = time(9, 0), time(17, 0)
WORKDAYS = frozenset(range(5))


def business_minutes(start: datetime, end: datetime, tz: str | None) -> float:
    """Business minutes in [start, end); 0 when end is not after start."""
    if end <= start:
        return 0.0
    tzinfo = zone(tz)
    local_start, local_end = start.astimezone(tzinfo), end.astimezone(tzinfo)
    day = local_start.date()
    total = 0.0
    while day <= local_end.date():
        if day.weekday() in WORKDAYS:
            opens = datetime.combine(day, OPEN, tzinfo)
            closes = datetime.combine(day, CLOSE, tzinfo)
            lo, hi = max(opens, local_start), min(closes, local_end)
            if hi > lo:
                total += (hi - lo).total_seconds() / 60
        day += timedelta(days=1)
    return total
