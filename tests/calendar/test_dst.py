"""next_due across DST changes, north and south: skipped hours, repeated hours, windows inside a gap."""
from __future__ import annotations

from datetime import UTC
from zoneinfo import ZoneInfo

from sequencer.calendar import Due, is_open, next_due
from tests.calendar.helpers import local, sched, utc


def test_vilnius_spring_forward():
    # 2026-03-29 (last Sunday of March): 03:00 EET -> 04:00 EEST at 01:00 UTC
    zone = "Europe/Vilnius"
    before = utc(2026, 3, 28, 12)
    gap_start = sched(days=["sun"], window_start="03:30", window_end="05:00")
    assert next_due(before, 0, gap_start, zone, None).at == utc(2026, 3, 29, 1)  # 04:00 EEST, first real instant
    assert next_due(before, 1, gap_start, zone, None) == Due(utc(2026, 3, 29, 1), None)
    # the brief's 02:30-04:00: 02:30-03:00 survives, 03:00-04:00 does not exist
    shortened = sched(days=["sun"], window_start="02:30", window_end="04:00")
    assert next_due(before, 0, shortened, zone, None).at == utc(2026, 3, 29, 0, 30)
    assert is_open(utc(2026, 3, 29, 0, 59), shortened, zone, None)
    assert not is_open(utc(2026, 3, 29, 1), shortened, zone, None)  # 04:00 EEST
    assert next_due(utc(2026, 3, 29, 1), 0, shortened, zone, None).at == local(zone, 2026, 4, 5, 2, 30)
    # an ordinary window on the Monday after
    assert next_due(utc(2026, 3, 27, 12), 1, sched(), zone, None).at == utc(2026, 3, 30, 6)


def test_vilnius_fall_back():
    # 2026-10-25: 04:00 EEST -> 03:00 EET at 01:00 UTC; 03:00-04:00 happens twice
    zone = "Europe/Vilnius"
    s = sched(days=["sun"], window_start="03:30", window_end="05:00")
    assert next_due(utc(2026, 10, 24, 12), 0, s, zone, None).at == utc(2026, 10, 25, 0, 30)  # first occurrence
    assert is_open(utc(2026, 10, 25, 0, 59), s, zone, None)
    assert not is_open(utc(2026, 10, 25, 1, 0), s, zone, None)  # back to 03:00 EET
    assert next_due(utc(2026, 10, 25, 1, 0), 0, s, zone, None) == Due(
        utc(2026, 10, 25, 1, 30), "outside window, opens Sun 03:30 Europe/Vilnius")
    assert next_due(utc(2026, 10, 23, 12), 1, sched(), zone, None).at == utc(2026, 10, 26, 7)


def test_new_york_spring_forward_and_fall_back():
    zone = "America/New_York"
    # 2026-03-08: 02:00 EST -> 03:00 EDT at 07:00 UTC
    s = sched(days=["sun"], window_start="02:30", window_end="04:00", holidays=None)
    assert next_due(utc(2026, 3, 7, 12), 0, s, zone, None) == Due(
        utc(2026, 3, 8, 7), "not a sending day (Sat), opens Sun 03:00 America/New_York")
    assert next_due(utc(2026, 3, 7, 12), 1, s, zone, None) == Due(utc(2026, 3, 8, 7), None)
    # a window entirely inside the gap does not exist that day
    lost = sched(days=["sun"], window_start="02:15", window_end="02:45", holidays=None)
    assert next_due(utc(2026, 3, 8, 5), 0, lost, zone, None).at == local(zone, 2026, 3, 15, 2, 15)
    due = next_due(utc(2026, 3, 7, 12), 1, lost, zone, None)
    assert due.at == local(zone, 2026, 3, 15, 2, 15)
    assert due.why_waiting == "outside window, opens Sun 15 Mar 02:15 America/New_York"
    # 2026-11-01: 02:00 EDT -> 01:00 EST at 06:00 UTC; 01:00-01:30 happens twice
    twice = sched(days=["sun"], window_start="01:00", window_end="01:30", holidays=None)
    assert next_due(utc(2026, 10, 31, 12), 0, twice, zone, None).at == utc(2026, 11, 1, 5)
    assert next_due(utc(2026, 11, 1, 5, 30), 0, twice, zone, None).at == utc(2026, 11, 1, 6)  # second pass
    assert is_open(utc(2026, 11, 1, 6, 29), twice, zone, None)
    assert next_due(utc(2026, 11, 1, 6, 30), 0, twice, zone, None).at == local(zone, 2026, 11, 8, 1)
    assert next_due(utc(2026, 10, 30, 12), 1, sched(holidays=None), zone, None).at == utc(2026, 11, 2, 14)


def test_sydney_southern_hemisphere():
    zone = "Australia/Sydney"
    s = sched(holidays=None)
    # DST ends 2026-04-05 (03:00 AEDT -> 02:00 AEST): Monday 09:00 AEST = Sunday 23:00 UTC
    assert next_due(local(zone, 2026, 4, 3, 12), 1, s, zone, None).at == utc(2026, 4, 5, 23)
    # DST starts 2026-10-04 (02:00 AEST -> 03:00 AEDT): Monday 09:00 AEDT = Sunday 22:00 UTC
    assert next_due(local(zone, 2026, 10, 2, 12), 1, s, zone, None).at == utc(2026, 10, 4, 22)
    gap = sched(days=["sun"], window_start="02:30", window_end="04:00", holidays=None)
    assert next_due(local(zone, 2026, 10, 3, 12), 0, gap, zone, None).at == utc(2026, 10, 3, 16)  # 03:00 AEDT
    shortened = sched(days=["sun"], window_start="01:30", window_end="02:30", holidays=None)
    assert next_due(local(zone, 2026, 10, 4, 1, 59), 0, shortened, zone, None).at == local(zone, 2026, 10, 4, 1, 59)
    assert next_due(local(zone, 2026, 10, 4, 3, 0), 0, shortened, zone, None).at == local(zone, 2026, 10, 11, 1, 30)
    # AU holidays through the prospect's country: Easter Monday 2026-04-06
    assert next_due(local(zone, 2026, 4, 3, 12), 1, sched(), zone, "AU").at == local(zone, 2026, 4, 7, 9)


def test_round_trip_through_local_time():
    for zone in ("Europe/Vilnius", "America/New_York", "Australia/Sydney", "Pacific/Chatham"):
        for start in (utc(2026, 3, 1), utc(2026, 9, 20), utc(2026, 10, 20)):
            due = next_due(start, 5, sched(days=["sun", "mon"], window_start="02:00", window_end="04:00"), zone, None)
            assert due.at.astimezone(ZoneInfo(zone)).astimezone(UTC) == due.at
