"""The calendar side of a plan: months of a period and their share, the cycle shift, a rep's working days."""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from sequencer.calendar.days import business_days_between
from sequencer.calendar.schedule import Schedule


@dataclass(frozen=True)
class Slice:
    start: date
    end: date
    share: float  # of the period's target, the slices summing to 1

    @property
    def label(self) -> str:
        return self.start.strftime("%b %Y")


def _month_end(day: date) -> date:
    first_next = (day.replace(day=28) + timedelta(days=4)).replace(day=1)
    return first_next - timedelta(days=1)


def months(start: date, end: date) -> list[tuple[date, date]]:
    """The calendar months the period touches, clipped to it."""
    out, cur = [], start
    while cur <= end:
        last = min(_month_end(cur), end)
        out.append((cur, last))
        cur = last + timedelta(days=1)
    return out


def split(start: date, end: date, weights: Sequence[float] = ()) -> list[Slice]:
    """Each month's share: by the seasonality weights given (one per month), else by its length in days."""
    spans = months(start, end)
    if weights and len(weights) == len(spans) and sum(weights) > 0:
        total = float(sum(weights))
        return [Slice(a, b, w / total) for (a, b), w in zip(spans, weights, strict=True)]
    days = (end - start).days + 1
    return [Slice(a, b, ((b - a).days + 1) / days) for a, b in spans]


def quarters(slices: Iterable[Slice]) -> list[Slice]:
    """The monthly slices summed into calendar quarters."""
    out: dict[tuple[int, int], Slice] = {}
    for s in slices:
        key = (s.start.year, (s.start.month - 1) // 3)
        prev = out.get(key)
        out[key] = Slice(prev.start if prev else s.start, s.end, (prev.share if prev else 0.0) + s.share)
    return list(out.values())


def activity_window(start: date, end: date, cycle_days: int) -> tuple[date, date]:
    """When the work must happen for deals to close in [start, end]: the period moved back by the sales cycle."""
    shift = timedelta(days=max(cycle_days, 0))
    return start - shift, end - shift


def working_days(start: date, end: date, schedule: Schedule, country: str | None,
                 time_off: Iterable[tuple[date, date]] = ()) -> int:
    """Business days in [start, end] (holidays removed) less the business days the rep is away."""
    if end < start:
        return 0
    total = business_days_between(start - timedelta(days=1), end, schedule, country)
    for off_start, off_end in time_off:
        a, b = max(off_start, start), min(off_end, end)
        if a <= b:
            total -= business_days_between(a - timedelta(days=1), b, schedule, country)
    return max(total, 0)


def monday(day: date) -> date:
    return day - timedelta(days=day.weekday())
