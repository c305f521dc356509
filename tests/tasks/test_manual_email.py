"""A manual email task: the rendered step opens in an editor and the rep's edit goes out through the pipeline."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from sequencer.models import Event, StepRun, StepRunState, Task, TaskStatus
from sequencer.models.mail import SmtpSecurity, Transport
from sequencer.models.sequences import StepType
from tests.support.smtp_sink import Sink
from tests.tasks.scenario import NOW


@pytest.fixture
def sink():
    with Sink() as server:
        yield server


@pytest.fixture
def task_scenario_options():
    return {"second": StepType.MANUAL_EMAIL}


@pytest.fixture
def world(world, session, sink):
    """The manual email goes out threaded and tracked, through an SMTP mailbox on the sink."""
    world.mailbox.transport, world.mailbox.smtp_host, world.mailbox.smtp_port = Transport.SMTP, "127.0.0.1", sink.port
    world.mailbox.smtp_security, world.mailbox.min_interval_seconds = SmtpSecurity.NONE, 0
    world.run.step.thread = True
    world.sequence.track_opens = True
    session.commit()
    return world


def test_draft_is_the_steps_variant_rendered_for_the_prospect(world):
    r = world.as_rep.get(f"/api/v1/tasks/{world.task.id}/email")
    assert r.status_code == 200
    assert r.json["subject"] == "Following up, Ona" and r.json["variant"] == "A"
    assert r.json["body"].startswith("Hi Ona,") and "freight numbers" in r.json["body"]


def test_edited_email_goes_out_threaded_tracked_with_unsubscribe_and_the_edit_is_stored(world, session, sink):
    body = "Hi Ona,\n\nI rewrote this one by hand: shall we talk on Thursday?"
    r = world.as_rep.post(f"/api/v1/tasks/{world.task.id}/email", {"subject": "Thursday?", "body": body})
    assert r.status_code == 200, r.json
    assert r.json["task"]["status"] == "done" and r.json["subject"] == "Thursday?"

    [message] = sink.handler.parsed()
    assert message["Subject"] == "Thursday?" and message["To"].addresses[0].username == world.prospect.email.split("@")[0]
    assert message["In-Reply-To"] == "<sr1.test@sequencer.test>"  # threaded on the first email
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click" and "/u/" in message["List-Unsubscribe"]
    html = message.get_body(("html",)).get_content()
    assert "shall we talk on Thursday?" in html and "/t/o/" in html  # the open pixel

    session.expire_all()
    run = session.get(StepRun, world.run.id)
    assert run.state == StepRunState.SENT and run.message_id == message["Message-ID"]
    assert "shall we talk on Thursday?" in run.body_text and run.subject == "Thursday?"
    task = session.get(Task, world.task.id)
    assert task.email_body == body and task.email_subject == "Thursday?" and task.status == TaskStatus.DONE
    assert session.scalar(select(StepRun.state).where(StepRun.position == 3)) == StepRunState.SCHEDULED
    kinds = {e.kind for e in session.scalars(select(Event).where(Event.step_run_id == run.id))}
    assert {"sent", "task_completed"} <= kinds

    again = world.as_rep.post(f"/api/v1/tasks/{world.task.id}/email", {"subject": "x", "body": "y"})
    assert again.status_code == 409 and len(sink.handler.messages) == 1  # never twice


def test_a_broken_edit_is_refused_and_nothing_is_sent(world, session, sink):
    r = world.as_rep.post(f"/api/v1/tasks/{world.task.id}/email", {"subject": "Hi", "body": "Hi {{ prospect.nope }"})
    assert r.status_code == 422 and r.json["error"]["details"][0]["field"] == "body"
    assert sink.handler.messages == []
    session.expire_all()
    assert session.get(StepRun, world.run.id).state == StepRunState.TASK_OPEN


def test_a_refused_smtp_connection_puts_the_email_back_on_the_reps_desk(world, session, sink):
    world.mailbox.smtp_port = 1  # nothing listens there
    session.commit()
    r = world.as_rep.post(f"/api/v1/tasks/{world.task.id}/email", {"subject": "Hi", "body": "Hello"})
    assert r.status_code == 409 and r.json["error"]["message"].startswith("not sent")
    session.expire_all()
    run = session.get(StepRun, world.run.id)
    assert run.state == StepRunState.TASK_OPEN and run.send_started_at is None
    assert session.get(Task, world.task.id).status == TaskStatus.OPEN
    assert session.get(Task, world.task.id).email_body == "Hello"  # the edit is kept


def test_an_expired_manual_claim_goes_back_to_its_open_task_not_a_second_one(world, session):
    from datetime import timedelta

    from sequencer.outreach.dispatch import run_pass
    run = session.get(StepRun, world.run.id)
    run.state, run.claimed_by, run.lease_until = StepRunState.SENDING, "manual-crashed", NOW - timedelta(minutes=1)
    session.commit()
    run_pass(session, NOW)  # takes the claim back (scheduled), then finds the human step due again
    session.commit()
    session.expire_all()
    assert session.get(StepRun, world.run.id).state == StepRunState.TASK_OPEN
    assert session.scalars(select(Task).where(Task.step_run_id == world.run.id)).one().id == world.task.id


def test_a_manual_email_to_a_lithuanian_prospect_ends_with_the_lithuanian_unsubscribe_line(world, session, sink):
    world.prospect.language = "lt"
    session.commit()
    r = world.as_rep.post(f"/api/v1/tasks/{world.task.id}/email", {"subject": "Ketvirtadienį?", "body": "Laba diena, Ona."})
    assert r.status_code == 200, r.json
    [message] = sink.handler.parsed()
    text = message.get_body(("plain",)).get_content()
    assert "Nebenorite gauti mūsų laiškų? Atsisakykite:" in text and "Don't want" not in text
