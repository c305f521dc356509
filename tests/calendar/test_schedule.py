"""Sending schedules: parsing, validation and the round trip through a dict."""
from __future__ import annotations

from datetime import time

import pytest

from sequencer.calendar import Schedule, ScheduleError
from tests.calendar.helpers import WEEKDAYS


def test_from_dict_defaults_and_round_trip():
    s = Schedule.from_dict({})
    assert s == Schedule(frozenset(range(5)), time(9), time(17), "prospect", "Europe/Vilnius")
    assert s.to_dict() == WEEKDAYS
    custom = {"days": ["sun", "Sat", "MON"], "window_start": "7:05", "window_end": "23:59",
              "holidays": "de", "fallback_timezone": "America/New_York"}
    parsed = Schedule.from_dict(custom)
    assert parsed.days == frozenset({0, 5, 6}) and parsed.holidays == "DE"
    assert parsed.to_dict() == {"days": ["mon", "sat", "sun"], "window_start": "07:05", "window_end": "23:59",
                                "holidays": "DE", "fallback_timezone": "America/New_York"}
    assert Schedule.from_dict(parsed.to_dict()) == parsed
    assert Schedule.from_dict({"holidays": None}).holidays is None
    assert Schedule.from_dict({"days": ["monday", "Friday"]}).days == frozenset({0, 4})


@pytest.mark.parametrize("data, field", [
    ({"days": ["mon", "funday"]}, "days"),
    ({"days": []}, "days"),
    ({"days": "mon"}, "days"),
    ({"days": [1]}, "days"),
    ({"window_start": "9"}, "window_start"),
    ({"window_start": "24:00"}, "window_start"),
    ({"window_start": "09:60"}, "window_start"),
    ({"window_end": "5pm"}, "window_end"),
    ({"window_end": 17}, "window_end"),
    ({"window_start": "17:00", "window_end": "09:00"}, "window_end"),
    ({"window_start": "09:00", "window_end": "09:00"}, "window_end"),
    ({"fallback_timezone": "Mars/Olympus"}, "fallback_timezone"),
    ({"fallback_timezone": ""}, "fallback_timezone"),
    ({"fallback_timezone": "../../etc/passwd"}, "fallback_timezone"),
    ({"holidays": "XX"}, "holidays"),
    ({"holidays": "everyone"}, "holidays"),
    ({"holidays": "LTU"}, "holidays"),
    ({"holidays": 7}, "holidays"),
    ({"window_strat": "09:00"}, "window_strat"),
])
def test_from_dict_errors_name_the_field(data, field):
    with pytest.raises(ScheduleError) as err:
        Schedule.from_dict(data)
    assert err.value.field == field
    assert err.value.message and field in str(err.value)
    assert isinstance(err.value, ValueError)


def test_from_dict_rejects_non_objects():
    with pytest.raises(ScheduleError) as err:
        Schedule.from_dict(["mon"])
    assert err.value.field == "schedule"


def test_direct_construction_is_validated():
    with pytest.raises(ScheduleError) as err:
        Schedule(frozenset({0}), time(22), time(6), None, "UTC")  # overnight
    assert err.value.field == "window_end"
    with pytest.raises(ScheduleError):
        Schedule(frozenset(), time(9), time(17), None, "UTC")
    with pytest.raises(ScheduleError):
        Schedule(frozenset({7}), time(9), time(17), None, "UTC")
    assert Schedule({0, 1}, time(9), time(17), "lt", "UTC").holidays == "LT"
