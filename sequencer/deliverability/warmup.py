"""The warm-up ramp: a new mailbox's daily limit starts low and grows each business day to its target.

Defaults follow the cold-email tools: 10 on the first day, 5 more each business day (Monday to Friday),
up to the mailbox's daily limit. A mailbox without a start day sends at its full daily limit.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, time

from sequencer.calendar import Schedule
from sequencer.calendar.days import business_days_between, nth_business_day
from sequencer.errors import Invalid
from sequencer.models import Mailbox
from sequencer.texts import tr

DEFAULT_START, DEFAULT_STEP = 10, 5
BUSINESS_DAYS = Schedule(days=frozenset(range(5)), window_start=time(9), window_end=time(17), holidays=None,
                         fallback_timezone="UTC")


def _target(mailbox: Mailbox) -> int:
    return min(mailbox.warmup_target or mailbox.daily_limit, mailbox.daily_limit)


def limit_for(mailbox: Mailbox, day: date) -> int:
    """How many emails the mailbox may send on `day` (its owner's local date)."""
    started = mailbox.warmup_started_on
    if started is None:
        return mailbox.daily_limit
    target = _target(mailbox)
    start, step = mailbox.warmup_start or DEFAULT_START, mailbox.warmup_step or DEFAULT_STEP
    if (day - started).days > 2 * math.ceil(max(0, target - start) / step) + 7:
        return target  # long past the ramp (5 business days in any 7): no need to count the days
    grown = start + step * business_days_between(started, day, BUSINESS_DAYS, None) if day > started else start
    return max(0, min(grown, target))


def full_speed_on(mailbox: Mailbox) -> date | None:
    """The first day the mailbox sends at its target, or None when it is not warming up."""
    started = mailbox.warmup_started_on
    if started is None:
        return None
    start, step = mailbox.warmup_start or DEFAULT_START, mailbox.warmup_step or DEFAULT_STEP
    steps = max(0, math.ceil((_target(mailbox) - start) / step))
    return nth_business_day(started, steps, BUSINESS_DAYS, None)


@dataclass
class Stage:
    limit_today: int
    target: int
    day_number: int  # business days since the start, 1 on the first
    full_speed_on: date | None
    warming: bool

    def describe(self) -> str:
        if not self.warming:
            return "full speed"
        return (f"warming up: day {self.day_number}, {self.limit_today}/day now, "
                f"{self.target}/day from {self.full_speed_on:%a %d %b}")


def stage(mailbox: Mailbox, day: date) -> Stage:
    """Where the mailbox is on its ramp on `day` (the schedule the Deliverability page shows)."""
    done = full_speed_on(mailbox)
    started = mailbox.warmup_started_on
    number = business_days_between(started, day, BUSINESS_DAYS, None) + 1 if started and day >= started else 0
    return Stage(limit_for(mailbox, day), _target(mailbox), number, done, done is not None and day < done)


def limit_text(mailbox: Mailbox, day: date, used: int) -> str:
    """The daily-limit part of a why_waiting; names the ramp when it is what holds the mail back."""
    now = stage(mailbox, day)
    if not now.warming:
        return f"daily limit {used}/{now.limit_today}"
    return (f"warm-up limit {used}/{now.limit_today} (day {now.day_number}, "
            f"{now.target}/day from {now.full_speed_on:%a %d %b})")


def clean_warmup(data: object, today: date) -> dict:
    """API/form `warmup` ({start, step, target, started_on} or null) into column values; Invalid names the field."""
    if data is None:
        return {"warmup_started_on": None}
    if not isinstance(data, dict):
        raise Invalid.field("warmup", tr("must be an object {start, step, target, started_on} or null"))
    out: dict = {}
    for name, low, high in (("start", 1, 100_000), ("step", 1, 100_000), ("target", 1, 100_000)):
        value = data.get(name)
        if value in (None, ""):
            out[f"warmup_{name}"] = None
            continue
        if isinstance(value, bool) or not str(value).strip().isdecimal() or not low <= int(str(value)) <= high:
            raise Invalid.field(f"warmup.{name}", tr("must be a whole number between %(low)s and %(high)s", low=low, high=high))
        out[f"warmup_{name}"] = int(str(value))
    raw = data.get("started_on")
    try:
        out["warmup_started_on"] = date.fromisoformat(str(raw)) if raw not in (None, "") else today
    except ValueError:
        raise Invalid.field("warmup.started_on", tr("must be a date (YYYY-MM-DD)")) from None
    return out


def serialize(mailbox: Mailbox) -> dict | None:
    if mailbox.warmup_started_on is None:
        return None
    return {"start": mailbox.warmup_start or DEFAULT_START, "step": mailbox.warmup_step or DEFAULT_STEP,
            "target": _target(mailbox), "started_on": mailbox.warmup_started_on.isoformat()}
