"""Issue 23 defect 1: a manual email is refused while a library `[…]` placeholder remains, and signs once."""
from __future__ import annotations

import pytest

from sequencer.demo.sequences import MANUAL
from sequencer.models import StepRun, StepRunState
from sequencer.models.mail import SmtpSecurity, Transport
from sequencer.models.sequences import StepType
from tests.support.smtp_sink import Sink

SIGNATURE = "Rita Rep\nSDR, Kvitas\nkvitas-demo.com"


@pytest.fixture
def sink():
    with Sink() as server:
        yield server


@pytest.fixture
def task_scenario_options():
    return {"second": StepType.MANUAL_EMAIL}


@pytest.fixture
def world(world, session, sink):
    """The demo's manual email step (placeholder line, signed with the sender's name and title) on an SMTP sink."""
    world.mailbox.transport, world.mailbox.smtp_host, world.mailbox.smtp_port = Transport.SMTP, "127.0.0.1", sink.port
    world.mailbox.smtp_security, world.mailbox.min_interval_seconds = SmtpSecurity.NONE, 0
    world.rep.signature, world.rep.title = SIGNATURE, "SDR"
    variant = world.run.variant
    variant.body = MANUAL.replace("{{ prospect.fields.erp | default(\"your ERP\") }}", "your ERP")
    session.commit()
    return world


def _text(message) -> str:
    return message.get_body(("plain",)).get_content()


def test_sending_the_draft_unchanged_is_refused_naming_the_placeholder(world, session, sink):
    draft = world.as_rep.get(f"/api/v1/tasks/{world.task.id}/email").json
    assert "[One line about something specific" in draft["body"]
    r = world.as_rep.post(f"/api/v1/tasks/{world.task.id}/email", {"subject": draft["subject"], "body": draft["body"]})
    assert r.status_code == 422, r.json
    detail = r.json["error"]["details"][0]
    assert detail["field"] == "body" and "[One line about something specific" in detail["message"]
    assert sink.handler.messages == []
    session.expire_all()
    assert session.get(StepRun, world.run.id).state == StepRunState.TASK_OPEN


def test_the_personalised_draft_goes_out_with_the_signature_exactly_once(world, sink):
    draft = world.as_rep.get(f"/api/v1/tasks/{world.task.id}/email").json
    body = draft["body"].replace("[One line about something specific: a post, a hiring ad, a new site.]",
                                 "Saw you are hiring two AP clerks in Kaunas.")
    r = world.as_rep.post(f"/api/v1/tasks/{world.task.id}/email", {"subject": draft["subject"], "body": body})
    assert r.status_code == 200, r.json
    [message] = sink.handler.parsed()
    text = _text(message)
    assert text.count("Rita Rep") == 1 and text.count("SDR, Kvitas") == 1, text
    assert "kvitas-demo.com" in text  # the whole signature, once
