"""Zone lookups never raise on bad stored names, and local days are 23 or 25 hours long across DST changes."""
from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from sequencer.platform.timezones import day_bounds, day_start, is_valid_zone, local_date, local_midnight, zone

VILNIUS = ZoneInfo("Europe/Vilnius")
BAD_NAMES = ["", "Nope/Zone", "../etc/passwd", "Europe/", "utc", " Europe/Vilnius", "America", "x" * 300]


@pytest.mark.parametrize("name", ["Europe/Vilnius", "America/New_York", "UTC", "Asia/Kathmandu"])
def test_known_names_are_valid(name):
    assert is_valid_zone(name) is True
    assert zone(name) == ZoneInfo(name)


@pytest.mark.parametrize("name", [*BAD_NAMES, None, 5, ["UTC"]])
def test_bad_names_are_invalid_and_fall_back(name):
    assert is_valid_zone(name) is False
    assert zone(name).key == "UTC"
    assert zone(name, "Europe/Vilnius").key == "Europe/Vilnius"


def test_a_bad_fallback_ends_at_utc():
    assert zone("Nope/Zone", "Also/Bad").key == "UTC"
    assert zone(None, None).key == "UTC"
    assert zone("America/New_York", "Also/Bad").key == "America/New_York"  # the fallback is only read when needed


def test_local_date_is_the_day_in_that_zone():
    late = datetime(2026, 3, 1, 22, 30, tzinfo=UTC)  # already 2 March in Vilnius (UTC+2)
    assert local_date(late, "Europe/Vilnius") == date(2026, 3, 2)
    assert local_date(late, "America/New_York") == date(2026, 3, 1)
    assert local_date(late, "Nope/Zone") == date(2026, 3, 1)  # bad name: UTC


def test_local_midnight_starts_the_local_day():
    moment = datetime(2026, 3, 1, 22, 30, tzinfo=UTC)
    start = local_midnight(moment, VILNIUS)
    assert start == datetime(2026, 3, 2, tzinfo=VILNIUS)
    assert start.astimezone(UTC) == datetime(2026, 3, 1, 22, 0, tzinfo=UTC)
    assert local_midnight(moment, "Europe/Vilnius") == start  # a name works as well as a zone
    assert start.tzinfo is VILNIUS


def test_day_start_of_a_date():
    assert day_start(date(2026, 7, 1), "Europe/Vilnius").astimezone(UTC) == datetime(2026, 6, 30, 21, tzinfo=UTC)


@pytest.mark.parametrize(("day", "hours"), [(date(2026, 3, 29), 23), (date(2026, 10, 25), 25), (date(2026, 6, 1), 24)])
def test_day_bounds_follow_dst(day, hours):
    noon = datetime.combine(day, datetime.min.time(), tzinfo=VILNIUS) + timedelta(hours=12)
    start, end = day_bounds(noon.astimezone(UTC), "Europe/Vilnius")
    assert (start.date(), end.date()) == (day, day + timedelta(days=1))
    assert start.hour == end.hour == 0
    assert end.astimezone(UTC) - start.astimezone(UTC) == timedelta(hours=hours)
