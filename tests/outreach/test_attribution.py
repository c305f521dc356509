"""Attribution: a reply counts for the latest email of its thread; a meeting for the last email received."""
from __future__ import annotations

from datetime import timedelta

from sequencer.inbound.match import latest_thread_email
from sequencer.models import Enrollment, StepRunState
from sequencer.outreach.attribution import attribute_meeting, record_meeting
from tests.reports.helpers import T0, ab_sequence, sent_run


def _journey(factory, session):
    seq = ab_sequence(session)
    prospect = factory.prospect()
    b = seq.steps[0].variants[1]
    first = sent_run(session, seq, prospect, 1, b, T0)
    enrollment = session.get(Enrollment, first.enrollment_id)
    call = factory.step_run(enrollment, seq.steps[1], state=StepRunState.DONE, due_at=T0 + timedelta(days=1),
                            done_at=T0 + timedelta(days=1))
    return seq, enrollment, first, call


def test_meeting_counts_for_the_last_email_received_not_the_call(factory, session):
    seq, enrollment, first, call = _journey(factory, session)
    assert attribute_meeting(session, enrollment, T0 + timedelta(days=1)) == first
    bump = sent_run(session, seq, None, 3, seq.steps[2].variants[0], T0 + timedelta(days=2), enrollment=enrollment)
    assert attribute_meeting(session, enrollment, T0 + timedelta(days=3)) == bump
    assert attribute_meeting(session, enrollment, T0 + timedelta(days=1)) == first  # not yet sent then


def test_record_meeting_credits_the_variant(factory, session):
    seq, enrollment, first, call = _journey(factory, session)
    ev = record_meeting(session, enrollment, T0 + timedelta(days=1), user_id=None, source="call")
    assert (ev.step_run_id, ev.variant_id, ev.step_id) == (first.id, first.variant_id, first.step_id)
    assert ev.kind == "meeting_booked" and ev.payload == {"source": "call"}


def test_meeting_before_any_email_belongs_to_no_variant(factory, session):
    seq = ab_sequence(session)
    enrollment = factory.enrollment(prospect_id=factory.prospect().id, sequence_id=seq.id)
    ev = record_meeting(session, enrollment, T0)
    assert ev.step_run_id is None and ev.variant_id is None and ev.sequence_id == seq.id


def test_reply_counts_for_the_latest_email_of_its_thread(factory, session):
    seq, enrollment, first, call = _journey(factory, session)
    bump = sent_run(session, seq, None, 3, seq.steps[2].variants[0], T0 + timedelta(days=2), enrollment=enrollment)
    assert latest_thread_email(session, first) == bump  # step 3 is threaded onto step 1
