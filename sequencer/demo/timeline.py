"""Business-day arithmetic for back-dating demo activity relative to the injected clock.

The seeder plans each enrolment backwards from an anchor day (today, a few business days ago, or
soon), so every past touch lands on a weekday that is not a public holiday in the prospect's country,
inside a 09:00-17:00 local window, and strictly before `now`.
"""
from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta

import holidays

from sequencer.platform.timezones import zone

WINDOW_START = 9 * 60
WINDOW_END = 17 * 60


class Timeline:
    def __init__(self, now: datetime, rng: random.Random):
        self.now = now.astimezone(UTC)
        self.rng = rng
        years = range(self.now.year - 1, self.now.year + 2)
        self._holidays = {c: holidays.country_holidays(c, years=years) for c in ("LT", "DE", "US")}

    def local_now(self, tz: str) -> datetime:
        return self.now.astimezone(zone(tz))

    def today(self, tz: str) -> date:
        return self.local_now(tz).date()

    def is_business_day(self, day: date, country: str) -> bool:
        return day.weekday() < 5 and day not in self._holidays.get(country, ())

    def shift(self, day: date, n: int, country: str) -> date:
        """`n` business days after (n > 0) or before (n < 0) `day`; 0 returns `day` itself."""
        step = 1 if n > 0 else -1
        remaining = abs(n)
        while remaining:
            day += timedelta(days=step)
            if self.is_business_day(day, country):
                remaining -= 1
        return day

    def at(self, day: date, minutes: int, tz: str) -> datetime:
        """Local wall-clock `minutes` after midnight on `day`, as aware UTC."""
        local = datetime.combine(day, time(minutes // 60, minutes % 60), zone(tz))
        return local.astimezone(UTC)

    def in_window(self, day: date, tz: str, start: int = WINDOW_START, end: int = WINDOW_END) -> datetime:
        """A random moment inside the send window on `day`, with seconds so sends don't all align."""
        moment = self.at(day, self.rng.randrange(start, end), tz)
        return moment + timedelta(seconds=self.rng.randrange(60))

    def next_window(self, tz: str, country: str) -> tuple[datetime, str]:
        """When a send that is due now would go out, and the reason it waits."""
        local = self.local_now(tz)
        minute = local.hour * 60 + local.minute
        today = local.date()
        if self.is_business_day(today, country) and WINDOW_START <= minute < WINDOW_END - 30:
            due = self.now + timedelta(minutes=self.rng.randrange(3, 25), seconds=self.rng.randrange(60))
            return due, f"mailbox pacing: next slot {due.astimezone(zone(tz)):%H:%M} {tz} (1 send per 90 s)"
        if self.is_business_day(today, country) and minute < WINDOW_START:
            day = today
        else:
            day = self.shift(today, 1, country)
        due = self.at(day, WINDOW_START, tz)
        return due, f"outside window, opens {due.astimezone(zone(tz)):%a %H:%M} {tz}"

    def local_label(self, moment: datetime, tz: str) -> str:
        return f"{moment.astimezone(zone(tz)):%a %d %b %H:%M} {tz}"
