"""The send-review service: confirming or re-queueing uncertain/failed sends, and resuming a paused mailbox."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select, update

from sequencer.errors import Conflict
from sequencer.mail import send_review
from sequencer.models import EnrollmentStatus, Event, StepRun, StepRunState
from sequencer.models.mail import MailboxStatus

NOW = datetime(2026, 3, 4, 10, 0, tzinfo=UTC)  # a Wednesday
STARTED = NOW - timedelta(minutes=30)


def stuck_run(factory, state=StepRunState.UNCERTAIN, steps=2, mailbox=None, **run_kw):
    """An enrolment whose first email is `state`, as the sending pipeline leaves it."""
    mailbox = mailbox or factory.mailbox()
    seq = factory.sequence(steps=steps)
    enrollment = factory.enrollment(prospect=factory.prospect(), sequence=seq, mailbox_id=mailbox.id)
    defaults = {"send_started_at": STARTED, "attempt": 2, "claimed_by": "worker-token", "error": "connection reset",
                "why_waiting": "connection lost after the message was handed over: connection reset"}
    if state == StepRunState.FAILED:
        defaults = {"attempt": 5, "error": "554 5.7.1 rejected: spam", "why_waiting": "failed after 5 attempt(s)"}
    return factory.step_run(enrollment, variant=seq.steps[0].variants[0], mailbox_id=mailbox.id, state=state,
                            due_at=NOW - timedelta(hours=1), **{**defaults, **run_kw})


def events(session, kind):
    return list(session.scalars(select(Event).where(Event.kind == kind).order_by(Event.id)))


def test_mark_sent_records_the_send_and_moves_the_sequence_on(factory, session):
    admin = factory.user("admin")
    run = stuck_run(factory)

    nxt = send_review.mark_sent(session, run, admin, NOW)
    session.commit()

    session.refresh(run)
    assert run.state == StepRunState.SENT
    assert run.sent_at == STARTED  # when it was handed to SMTP, not when the admin clicked
    assert run.done_at == NOW and run.error is None and run.why_waiting is None and run.claimed_by is None
    assert nxt is not None and nxt.position == 2 and nxt.state == StepRunState.SCHEDULED
    assert [r.position for r in session.scalars(select(StepRun).where(
        StepRun.enrollment_id == run.enrollment_id).order_by(StepRun.position))] == [1, 2]
    [sent] = events(session, "sent")
    assert (sent.step_run_id, sent.step_id, sent.variant_id, sent.mailbox_id) == (
        run.id, run.step_id, run.variant_id, run.mailbox_id)
    assert (sent.prospect_id, sent.sequence_id, sent.enrollment_id) == (
        run.enrollment.prospect_id, run.enrollment.sequence_id, run.enrollment_id)
    assert sent.payload == {"confirmed_by": admin.id}
    assert sent.occurred_at == NOW


def test_mark_sent_on_the_last_step_finishes_the_enrolment(factory, session):
    run = stuck_run(factory, steps=1, send_started_at=None)
    assert send_review.mark_sent(session, run, factory.user("admin"), NOW) is None
    assert run.sent_at == NOW  # no start time recorded: fall back to now
    assert run.enrollment.status == EnrollmentStatus.FINISHED
    assert len(events(session, "finished")) == 1


def test_mark_sent_refuses_a_failed_run(factory, session):
    run = stuck_run(factory, state=StepRunState.FAILED)
    with pytest.raises(Conflict) as info:
        send_review.mark_sent(session, run, factory.user("admin"), NOW)
    assert info.value.code == "conflict"
    assert info.value.message == "can't mark it sent: the message is failed, not uncertain"
    assert run.state == StepRunState.FAILED and events(session, "sent") == []


def test_send_again_requeues_an_uncertain_run(factory, session):
    admin = factory.user("admin", name="Ada Admin")
    run = stuck_run(factory, lease_until=NOW + timedelta(minutes=1))

    send_review.send_again(session, run, admin, NOW)
    session.commit()

    session.refresh(run)
    assert run.state == StepRunState.SCHEDULED
    assert run.due_at == NOW and run.attempt == 0
    assert (run.send_started_at, run.claimed_by, run.lease_until, run.error) == (None, None, None, None)
    assert run.why_waiting == "queued again by Ada Admin"
    [retried] = events(session, "send_retried")
    assert retried.step_run_id == run.id and retried.user_id == admin.id
    assert retried.payload == {"previous_state": "uncertain", "by": admin.id}
    assert session.scalar(select(StepRun).where(StepRun.position == 2)) is None  # the sequence did not move


def test_send_again_requeues_a_failed_run(factory, session):
    run = stuck_run(factory, state=StepRunState.FAILED, done_at=NOW - timedelta(hours=1))
    send_review.send_again(session, run, factory.user("manager"), NOW)
    assert (run.state, run.attempt, run.due_at, run.done_at, run.error) == (StepRunState.SCHEDULED, 0, NOW, None, None)


@pytest.mark.parametrize("state", [StepRunState.SENT, StepRunState.SCHEDULED, StepRunState.SENDING])
def test_send_again_refuses_other_states(factory, session, state):
    run = stuck_run(factory, state=state)
    with pytest.raises(Conflict) as info:
        send_review.send_again(session, run, factory.user("admin"), NOW)
    assert isinstance(info.value, Conflict)
    assert info.value.message == f"can't send it again: the message is {state.value}, not uncertain or failed"


def test_both_refuse_when_the_enrolment_has_ended(factory, session):
    run = stuck_run(factory)
    run.enrollment.status, run.enrollment.exit_reason = EnrollmentStatus.EXITED, "replied"
    for action, verb in ((send_review.mark_sent, "mark it sent"), (send_review.send_again, "send it again")):
        with pytest.raises(Conflict) as info:
            action(session, run, factory.user("admin"), NOW)
        assert info.value.message == f"can't {verb}: the enrolment is exited (replied)"
    assert run.state == StepRunState.UNCERTAIN


def test_a_paused_enrolment_can_still_be_answered(factory, session):
    run = stuck_run(factory)
    run.enrollment.status = EnrollmentStatus.PAUSED
    nxt = send_review.mark_sent(session, run, factory.user("admin"), NOW)
    assert nxt is not None and nxt.position == 2


def test_send_again_refuses_a_bounced_prospect(factory, session):
    from sequencer.models import ProspectStatus

    run = stuck_run(factory, state=StepRunState.FAILED)
    run.enrollment.prospect.status = ProspectStatus.BOUNCED
    with pytest.raises(Conflict) as info:
        send_review.send_again(session, run, factory.user("admin"), NOW)
    assert info.value.message == "can't send it again: the prospect is bounced"


def test_the_second_of_two_concurrent_answers_loses(factory, session):
    """Admin two's page (and loaded row) still says uncertain; admin one already queued it again."""
    run = stuck_run(factory)
    session.execute(update(StepRun).where(StepRun.id == run.id).values(state=StepRunState.SCHEDULED)
                    .execution_options(synchronize_session=False))
    assert run.state == StepRunState.UNCERTAIN  # the stale in-memory view passes the first check
    with pytest.raises(Conflict) as info:
        send_review.mark_sent(session, run, factory.user("admin"), NOW)
    assert isinstance(info.value, Conflict)
    assert info.value.message == "can't mark it sent: someone else already handled it (it is now scheduled)"
    assert events(session, "sent") == []
    assert session.scalar(select(StepRun).where(StepRun.position == 2)) is None


def test_resume_mailbox_clears_the_pause(factory, session):
    admin = factory.user("admin")
    mailbox = factory.mailbox(status=MailboxStatus.PAUSED, paused_reason="535 authentication failed",
                              consecutive_failures=3)
    run = stuck_run(factory, state=StepRunState.SCHEDULED, mailbox=mailbox,
                    why_waiting="mailbox paused: 535 authentication failed")

    send_review.resume_mailbox(session, mailbox, admin, NOW)
    session.commit()

    session.refresh(mailbox)
    assert (mailbox.status, mailbox.paused_reason, mailbox.consecutive_failures) == (MailboxStatus.ACTIVE, None, 0)
    [resumed] = events(session, "mailbox_resumed")
    assert (resumed.mailbox_id, resumed.user_id, resumed.occurred_at) == (mailbox.id, admin.id, NOW)
    session.refresh(run)
    assert run.why_waiting is None  # the stale "mailbox paused" note is gone
    with pytest.raises(Conflict) as info:
        send_review.resume_mailbox(session, mailbox, admin, NOW)
    assert info.value.message == f"the mailbox {mailbox.email} is not paused"
