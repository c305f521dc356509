"""The shared ingest path: stored first, acted on once, effects on enrolments, tasks and events."""
from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from sequencer.accounts.workspace import get_workspace
from sequencer.inbound import classify as classify_module
from sequencer.inbound.service import ingest, process
from sequencer.models import (
    EnrollmentStatus,
    Event,
    InboundMessage,
    ProspectStatus,
    StepRun,
    StepRunState,
    Suppression,
    Task,
)
from sequencer.models.inbound import InboundStatus
from sequencer.models.tasks import TaskType
from sequencer.outreach.dispatch import resume_expired_pauses
from tests.inbound.messages import reply

DANA = "Dana Kowalski <dana.kowalski@acme-corp.test>"


def _events(session, kind):
    return list(session.scalars(select(Event).where(Event.kind == kind)))


def test_a_reply_exits_the_enrolment_once_and_tells_the_owner(session, corpus_world, now):
    raw = reply(sender=DANA, in_reply_to="<sr101.corpus@sequencer.test>", body="Sounds interesting, call me Thursday?")
    first = ingest(session, raw, source="api", now=now)
    again = ingest(session, raw, source="imap", now=now)

    dana = corpus_world["enrollments"]["dana.kowalski@acme-corp.test"]
    session.refresh(dana)
    assert (first.classification, first.status, first.duplicate) == ("reply", "processed", False)
    assert again.duplicate and again.id == first.id and again.classification == "reply"
    assert dana.status == EnrollmentStatus.EXITED and dana.exit_reason == "replied"
    [replied] = _events(session, "replied")
    # the thread's latest email the prospect received (sr102) gets the reply, with its variant
    assert replied.step_run_id == corpus_world["runs"]["<sr102.corpus@sequencer.test>"].id
    assert replied.variant_id is not None and replied.inbound_message_id == first.id
    assert replied.payload["sentiment"] == "positive"
    [task] = session.scalars(select(Task).where(Task.type == TaskType.REPLY_FOLLOWUP)).all()
    assert task.owner_id == corpus_world["rep"].id and "Dana Kowalski" in task.title
    assert "Thursday" in task.instructions
    waiting = session.scalars(select(StepRun).where(StepRun.enrollment_id == dana.id,
                                                    StepRun.state == StepRunState.SCHEDULED)).all()
    assert waiting == []
    assert session.scalar(select(InboundMessage.step_run_id).where(InboundMessage.id == first.id)) == \
        corpus_world["runs"]["<sr101.corpus@sequencer.test>"].id


def test_a_reply_can_stop_colleagues_at_the_same_company(session, corpus_world, now):
    get_workspace(session).reply_stops_company = True
    session.commit()
    result = ingest(session, reply(sender=DANA, in_reply_to="<sr101.corpus@sequencer.test>", body="Let's talk."),
                    source="api", now=now)
    eve = corpus_world["enrollments"]["eve.ng@acme-corp.test"]
    tom = corpus_world["enrollments"]["tom.baker@widgetco.test"]
    session.refresh(eve)
    session.refresh(tom)
    assert (eve.status, eve.exit_reason) == (EnrollmentStatus.EXITED, "colleague_replied")
    exited = session.scalars(select(Event).where(Event.kind == "exited", Event.enrollment_id == eve.id)).one()
    assert exited.inbound_message_id == result.id  # her page can show the reply that stopped her
    assert tom.status == EnrollmentStatus.ACTIVE


def test_sequence_without_exit_on_reply_keeps_going_but_records_the_reply(session, corpus_world, now):
    corpus_world["sequence"].exit_on_reply = False
    session.commit()
    ingest(session, reply(sender=DANA, in_reply_to="<sr101.corpus@sequencer.test>", body="Thanks."),
           source="api", now=now)
    dana = corpus_world["enrollments"]["dana.kowalski@acme-corp.test"]
    session.refresh(dana)
    assert dana.status == EnrollmentStatus.ACTIVE and len(_events(session, "replied")) == 1


def test_an_out_of_office_pauses_until_a_business_day_after_the_return_and_resumes_itself(session, corpus_world, now):
    raw = reply(sender="Jürgen Müller <j.mueller@nordwerk.test>", in_reply_to="<sr301.corpus@sequencer.test>",
                subject="Abwesenheitsnotiz: Frage zum Monatsabschluss bei Nordwerk",
                body="Ich bin ab dem 05.01.2027 wieder im Büro.", headers={"Auto-Submitted": "auto-replied"})
    result = ingest(session, raw, source="api", now=now)
    enrollment = corpus_world["enrollments"]["j.mueller@nordwerk.test"]
    session.refresh(enrollment)
    assert result.classification == "auto_reply"
    # back on Tue 5 January; one business day later is Wed 6 January, 09:00 in Berlin
    assert result.resume_at == datetime(2027, 1, 6, 8, 0, tzinfo=UTC)
    assert enrollment.status == EnrollmentStatus.PAUSED and enrollment.paused_until == result.resume_at
    [event] = _events(session, "auto_replied")
    assert event.payload["return_date"] == "2027-01-05" and event.inbound_message_id == result.id
    assert _events(session, "replied") == []

    assert resume_expired_pauses(session, datetime(2027, 1, 5, 12, tzinfo=UTC)) == []
    assert resume_expired_pauses(session, datetime(2027, 1, 6, 8, 1, tzinfo=UTC)) == [enrollment.id]


def test_an_out_of_office_without_a_date_pauses_for_a_week(session, corpus_world, now):
    raw = reply(sender="Tom Baker <tom.baker@widgetco.test>", in_reply_to="<sr501.corpus@sequencer.test>",
                subject="Out of Office", body="I am out of the office with limited access to email.")
    result = ingest(session, raw, source="api", now=now)
    assert result.classification == "auto_reply"
    assert result.resume_at == datetime(2026, 12, 21, 12, 0, tzinfo=UTC)


def test_an_unsubscribe_request_suppresses_and_exits_everything(session, corpus_world, now):
    raw = reply(sender="Tom Baker <tom.baker@widgetco.test>", in_reply_to="<sr501.corpus@sequencer.test>",
                body="Please remove me from your list.")
    result = ingest(session, raw, source="api", now=now)
    tom = corpus_world["prospects"]["tom.baker@widgetco.test"]
    session.refresh(tom)
    assert result.classification == "unsubscribe" and tom.status == ProspectStatus.UNSUBSCRIBED
    assert session.scalar(select(Suppression.value).where(Suppression.value == "tom.baker@widgetco.test"))
    [event] = _events(session, "unsubscribed")
    assert event.inbound_message_id == result.id and event.payload["source"] == "reply"


def test_unknown_sender_is_stored_as_unmatched_with_no_effect(session, corpus_world, now):
    result = ingest(session, reply(sender="someone@elsewhere.test", body="Hello"), source="api", now=now)
    assert (result.classification, result.prospect_id) == ("unmatched", None)
    assert session.scalar(select(Event.id).where(Event.inbound_message_id == result.id)) is None


def test_garbage_is_stored_as_unparsed_and_does_not_block_the_next_message(session, corpus_world, now):
    garbage = bytes(range(256)) * 40
    first = ingest(session, garbage, source="imap", now=now)
    second = ingest(session, reply(sender=DANA, in_reply_to="<sr101.corpus@sequencer.test>", body="ok"),
                    source="imap", now=now)
    row = session.get(InboundMessage, first.id)
    assert (row.status, row.classification) == (InboundStatus.UNPARSED, "unmatched")
    assert row.raw == garbage and row.message_id.startswith("<sha256.")
    assert second.classification == "reply"


def test_a_bug_in_processing_keeps_the_message_and_says_why(session, corpus_world, now, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("classifier exploded")

    monkeypatch.setattr("sequencer.inbound.service.classify", broken)
    raw = reply(sender=DANA, in_reply_to="<sr101.corpus@sequencer.test>", body="Interested!")
    result = ingest(session, raw, source="api", now=now)
    row = session.get(InboundMessage, result.id)
    assert row.status == InboundStatus.ERROR and "classifier exploded" in row.error and row.raw == raw
    assert _events(session, "replied") == []

    monkeypatch.setattr("sequencer.inbound.service.classify", classify_module.classify)
    assert process(session, row, now).classification == "reply"  # an admin's reprocess
    assert len(_events(session, "replied")) == 1
    assert process(session, row, now, force=True).classification == "reply"  # again, after it acted
    assert len(_events(session, "replied")) == 1 and "already applied" in row.detail["effect"]
    assert len(session.scalars(select(Task)).all()) == 1


def test_oversized_messages_are_stored_truncated(session, corpus_world, now):
    raw = reply(sender=DANA, in_reply_to="<sr101.corpus@sequencer.test>", body="Interested. " + "x" * 5000)
    result = ingest(session, raw, source="api", now=now, max_bytes=1000)
    row = session.get(InboundMessage, result.id)
    assert row.truncated and row.size == len(raw) and len(row.raw) == 1000
    assert result.classification == "reply"


def test_a_soft_bounce_retries_the_email_and_the_third_in_a_row_counts_as_hard(session, corpus_world, now):
    from pathlib import Path

    template = (Path(__file__).parent / "corpus" / "bounce_postfix_delayed_441.eml").read_bytes()
    sarunas = corpus_world["prospects"]["sarunas.petraitis@baltic-logistics.test"]
    run = corpus_world["runs"]["<sr201.corpus@sequencer.test>"]
    outcomes = []
    for attempt in (1, 2, 3):
        raw = template.replace(b"Message-Id: <", f"Message-Id: <try{attempt}.".encode(), 1)
        outcomes.append(ingest(session, raw, source="imap", now=now))
        session.refresh(run)
        session.refresh(sarunas)
        if attempt < 3:
            assert run.state == StepRunState.SCHEDULED and run.due_at == outcomes[-1].resume_at > now
            assert sarunas.status == ProspectStatus.ACTIVE
            run.state, run.sent_at = StepRunState.SENT, now  # as if the retry went out again
            session.commit()
    assert sarunas.status == ProspectStatus.BOUNCED
    assert [e.kind for e in session.scalars(select(Event).where(Event.prospect_id == sarunas.id,
                                                                 Event.kind.like("%bounced")).order_by(Event.id))] \
        == ["soft_bounced", "soft_bounced", "soft_bounced", "bounced"]
    # the pending step 2 was withdrawn for the retry, and nothing waits after the hard bounce
    assert session.scalars(select(StepRun).where(StepRun.enrollment_id == run.enrollment_id,
                                                 StepRun.state == StepRunState.SCHEDULED)).all() == []


def test_the_cli_reads_stdin_and_reports_json(app, session, corpus_world, now):
    import json

    raw = reply(sender=DANA, in_reply_to="<sr101.corpus@sequencer.test>", body="Not interested, thanks.")
    result = app.test_cli_runner().invoke(args=["inbound"], input=raw)
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    assert out["classification"] == "reply" and out["prospect_id"] == corpus_world["prospects"][
        "dana.kowalski@acme-corp.test"].id
    empty = app.test_cli_runner().invoke(args=["inbound"], input=b"")
    assert empty.exit_code == 2 and "empty" in empty.output


def test_an_out_of_office_extends_a_shorter_pause_but_never_a_manual_one(session, corpus_world, now):
    from datetime import timedelta

    tom = corpus_world["enrollments"]["tom.baker@widgetco.test"]
    eve = corpus_world["enrollments"]["eve.ng@acme-corp.test"]
    tom.status, tom.paused_until = EnrollmentStatus.PAUSED, now + timedelta(days=1)
    eve.status, eve.paused_until = EnrollmentStatus.PAUSED, None  # paused by hand, open-ended
    session.commit()
    for sender, run in (("Tom Baker <tom.baker@widgetco.test>", "<sr501.corpus@sequencer.test>"),
                        ("Eve Ng <eve.ng@acme-corp.test>", "<sr401.corpus@sequencer.test>")):
        ingest(session, reply(sender=sender, in_reply_to=run, subject="Out of Office",
                              body="I am out of the office until 11 January 2027."), source="api", now=now)
    session.refresh(tom)
    session.refresh(eve)
    assert tom.paused_until > now + timedelta(days=20) and tom.status == EnrollmentStatus.PAUSED
    assert eve.paused_until is None and eve.status == EnrollmentStatus.PAUSED


def test_storing_the_same_message_twice_says_so(session, corpus_world, now):
    from sequencer.inbound.service import store

    raw = reply(sender=DANA, body="hello", message_id="<twice@client.test>")
    first, created = store(session, raw, source="api", now=now)
    again, created_again = store(session, raw, source="imap", now=now)
    assert (created, created_again) == (True, False) and first.id == again.id and again.source == "api"
