"""A local date's sending window as UTC intervals, DST gaps and overlaps included.

Instants are naive UTC datetimes here (cheaper); callers make them aware at the boundary.
"""
from __future__ import annotations

import functools
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo


def wall_offset(zone: ZoneInfo, wall: datetime) -> timedelta:
    """The zone's UTC offset at a naive wall time (a ZoneInfo always has one; tzinfo's signature allows None)."""
    offset = zone.utcoffset(wall)
    assert offset is not None
    return offset


def _offset_at(zone: ZoneInfo, utc_naive: datetime) -> timedelta:
    offset = zone.fromutc(utc_naive.replace(tzinfo=zone)).utcoffset()
    assert offset is not None  # aware in a ZoneInfo
    return offset


def _pieces(zone: ZoneInfo, lo: datetime, hi: datetime) -> list[tuple[datetime, datetime, timedelta]]:
    """Split [lo, hi) into (start, end, offset) pieces of constant UTC offset (bisection)."""
    out = []
    off_lo = _offset_at(zone, lo)
    while True:
        if _offset_at(zone, hi) == off_lo:
            out.append((lo, hi, off_lo))
            return out
        a, b = 0, int((hi - lo).total_seconds()) + 1  # off(lo + a) == off_lo, off(lo + b) != off_lo
        while b - a > 1:
            mid = (a + b) // 2
            if _offset_at(zone, lo + timedelta(seconds=mid)) == off_lo:
                a = mid
            else:
                b = mid
        cut = min(lo + timedelta(seconds=b), hi)
        out.append((lo, cut, off_lo))
        if cut >= hi:
            return out
        lo, off_lo = cut, _offset_at(zone, cut)


@functools.lru_cache(maxsize=65536)
def _windows(zone: ZoneInfo, day: date, start: time, end: time) -> tuple[tuple[datetime, datetime, datetime], ...]:
    """The window of local date `day` as sorted, disjoint UTC intervals.

    Each entry is (open_from, open_until, first_wall_start): the interval [open_from,
    open_until) of instants whose wall time is in [start, end), and, repeated on every entry,
    the first instant whose wall time on `day` is >= start (what "the window start" means
    when it falls in a gap).
    """
    ws, we = datetime.combine(day, start), datetime.combine(day, end)
    s0, s1 = wall_offset(zone, ws), wall_offset(zone, ws.replace(fold=1))
    e0, e1 = wall_offset(zone, we), wall_offset(zone, we.replace(fold=1))
    if s0 == s1 == e0 == e1:  # the common case: no offset change near the window
        return ((ws - s0, we - s0, ws - s0),)
    lo, hi = min(ws - s0, ws - s1), max(we - e0, we - e1)
    intervals: list[tuple[datetime, datetime]] = []
    first: datetime | None = None
    for p, q, off in _pieces(zone, lo, hi):
        a, b = max(p, ws - off), min(q, we - off)
        if a < b:
            intervals.append((a, b))
        if first is None and max(p, ws - off) < q:
            first = max(p, ws - off)
    if not intervals:  # the whole window falls in a DST gap
        return ()
    assert first is not None  # a piece holding an interval starts before its end, so it set `first`
    return tuple((a, b, first) for a, b in intervals)
