"""SMTP failure paths against a scripted local server: retry, bounce, broken mailbox, maybe-sent."""
from itertools import pairwise

from sqlalchemy import select

from sequencer.mail.answers import MAX_ATTEMPTS
from sequencer.models import Enrollment, Event, ProspectStatus, StepRun, StepRunState, Suppression
from sequencer.models.mail import MailboxStatus
from sequencer.platform import clock
from tests.support.smtp_sink import ScriptedHandler, Sink


def _run(session) -> StepRun:
    session.expire_all()
    return session.scalars(select(StepRun).where(StepRun.position == 1)).one()


def test_4xx_is_retried_with_backoff_then_failed(session, sink, enrol, cycle):
    enrol()
    sink.handler.rcpt_reply = "450 4.2.0 mailbox busy, try later"
    dues = []
    for attempt in range(1, MAX_ATTEMPTS + 1):
        run = _run(session)
        with clock.frozen(max(run.due_at, clock.now())):
            result = cycle()[1]
        run = _run(session)
        assert run.attempt == attempt
        if attempt < MAX_ATTEMPTS:
            assert result.retried == 1 and run.state == StepRunState.SCHEDULED
            assert "450 4.2.0" in run.why_waiting
            dues.append(run.due_at)
    assert run.state == StepRunState.FAILED and "failed after 5 attempt(s)" in run.why_waiting
    gaps = [(b - a).total_seconds() for a, b in pairwise(dues)]
    assert all(later > earlier for earlier, later in pairwise(gaps))  # exponential
    assert sink.handler.messages == []
    assert run.enrollment.status.value == "active"  # it did not move on silently
    assert session.scalars(select(Event.kind).where(Event.kind == "send_failed")).all() == ["send_failed"]


def test_5xx_on_rcpt_is_a_hard_bounce(session, sink, enrol, cycle):
    prospect = enrol(email="nobody@grudu-baze-demo.com")
    sink.handler.rcpt_reply = "550 5.1.1 no such user"
    assert cycle()[1].bounced == 1
    session.expire_all()
    assert prospect.status == ProspectStatus.BOUNCED
    enrollment = session.scalars(select(Enrollment)).one()
    assert enrollment.status.value == "exited" and enrollment.exit_reason == "bounced"
    assert session.scalars(select(Suppression.value)).all() == ["nobody@grudu-baze-demo.com"]
    bounce = session.scalars(select(Event).where(Event.kind == "bounced")).one()
    assert "550 5.1.1" in bounce.payload["detail"] and bounce.step_run_id == _run(session).id


def test_authentication_failure_pauses_the_mailbox_and_loses_nothing(session, enrol, cycle, world, app):
    from sequencer.platform.security import SecretBox

    with Sink(password="right") as server:
        box = world["mailbox"]
        box.smtp_port, box.smtp_username = server.port, "ruta"
        box.smtp_password_encrypted = SecretBox(app.config["SECRET_KEY"]).encrypt("wrong")
        session.commit()
        enrol()
        enrol()
        cycle()
        session.expire_all()
        assert box.status == MailboxStatus.PAUSED and "authentication failed" in box.paused_reason
        runs = session.scalars(select(StepRun)).all()
        assert {r.state for r in runs} == {StepRunState.SCHEDULED}
        assert server.handler.messages == []
        cycle()  # a paused mailbox claims nothing, and says why
        session.expire_all()
        assert all("mailbox paused" in r.why_waiting for r in session.scalars(select(StepRun)))


def test_connection_lost_during_data_is_uncertain_and_never_resent(session, enrol, cycle, world):
    with Sink(ScriptedHandler(drop_after_data=True)) as server:
        world["mailbox"].smtp_port = server.port
        session.commit()
        enrol()
        assert cycle()[1].uncertain == 1
        run = _run(session)
        assert run.state == StepRunState.UNCERTAIN and "connection lost" in run.why_waiting
        cycle()
        assert len(server.handler.messages) == 1


def test_server_down_is_retried_and_pauses_after_repeated_failures(session, enrol, cycle, world):
    from tests.support.smtp_sink import free_port

    world["mailbox"].smtp_port = free_port()  # nothing listens there
    session.commit()
    enrol()
    for _ in range(3):
        run = _run(session)
        with clock.frozen(max(run.due_at, clock.now())):
            cycle()
    session.expire_all()
    assert world["mailbox"].status == MailboxStatus.PAUSED
    assert _run(session).state == StepRunState.SCHEDULED
