"""A refusal, as the UI says it."""
from __future__ import annotations

from sequencer.errors import Conflict, Invalid
from sequencer.web.refusals import field_errors, sentence


def test_a_reason_reads_as_a_sentence():
    assert sentence("the enrolment is exited (replied)") == "The enrolment is exited (replied)."
    assert sentence("Already done.") == "Already done."
    assert sentence("") == ""


def test_field_errors_mark_each_field_and_fall_back_to_one():
    both = Invalid.of([{"field": "starts_on", "message": "pick a day"}, {"field": "ends_on", "message": "too early"}])
    assert field_errors(both) == {"starts_on": "pick a day", "ends_on": "too early"}
    assert field_errors(Conflict("someone else got there first"), "note") == {"note": "someone else got there first"}
