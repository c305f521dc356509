"""The ramp: start, +step per business day (weekends add nothing), capped at the target and the daily limit."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, strategies as st

from sequencer.calendar.days import business_days_between
from sequencer.deliverability import warmup
from sequencer.errors import Invalid
from sequencer.models import Mailbox

MONDAY = date(2026, 12, 7)


def box(**kw) -> Mailbox:
    kw.setdefault("daily_limit", 40)
    return Mailbox(email="a@acme.example", **kw)


def test_defaults_start_at_ten_and_grow_by_five_each_business_day():
    mailbox = box(warmup_started_on=MONDAY)
    limits = [warmup.limit_for(mailbox, date(2026, 12, d)) for d in range(7, 17)]
    assert limits == [10, 15, 20, 25, 30, 30, 30, 35, 40, 40]  # Sat and Sun add nothing; 40 is the cap
    assert warmup.full_speed_on(mailbox) == date(2026, 12, 15)


def test_target_caps_the_ramp_and_no_start_day_means_full_speed():
    assert warmup.limit_for(box(warmup_started_on=MONDAY, warmup_target=12), date(2026, 12, 9)) == 12
    assert warmup.limit_for(box(), MONDAY) == 40
    assert warmup.limit_for(box(warmup_started_on=MONDAY), date(2026, 12, 1)) == 10  # before the start


def test_stage_describes_where_the_mailbox_is():
    stage = warmup.stage(box(warmup_started_on=MONDAY), date(2026, 12, 9))
    assert (stage.limit_today, stage.day_number, stage.warming) == (20, 3, True)
    assert stage.describe() == "warming up: day 3, 20/day now, 40/day from Tue 15 Dec"
    assert warmup.stage(box(warmup_started_on=MONDAY), date(2026, 12, 20)).describe() == "full speed"


def test_input_is_checked_field_by_field():
    assert warmup.clean_warmup({"start": 5, "step": "3"}, MONDAY) == {
        "warmup_start": 5, "warmup_step": 3, "warmup_target": None, "warmup_started_on": MONDAY}
    assert warmup.clean_warmup(None, MONDAY) == {"warmup_started_on": None}
    for bad, field in (({"start": -1}, "warmup.start"), ({"step": 2**40}, "warmup.step"),
                       ({"target": True}, "warmup.target"), ({"started_on": "tomorrow"}, "warmup.started_on"),
                       ([1], "warmup")):
        with pytest.raises(Invalid) as caught:
            warmup.clean_warmup(bad, MONDAY)
        assert caught.value.details[0]["field"] == field


@given(start=st.integers(1, 50), step=st.integers(1, 20), target=st.integers(1, 300),
       offset=st.integers(0, 400), started=st.dates(date(2026, 1, 1), date(2027, 12, 31)))
def test_the_long_past_shortcut_agrees_with_counting_every_day(start, step, target, offset, started):
    mailbox = box(daily_limit=300, warmup_start=start, warmup_step=step, warmup_target=target,
                  warmup_started_on=started)
    day = started + timedelta(days=offset)
    counted = start + step * business_days_between(started, day, warmup.BUSINESS_DAYS, None)
    assert warmup.limit_for(mailbox, day) == min(counted, target)
