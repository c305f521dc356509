"""A rep's manual email: its links are click-tracked only to the workspace's domains, and prospect data is escaped."""
from __future__ import annotations

import pytest

from sequencer.accounts.workspace import get_workspace
from sequencer.models.mail import SmtpSecurity, Transport
from sequencer.models.sequences import StepType
from tests.support.smtp_sink import Sink

HOSTILE = '<img src=x onerror="alert(1)">'


@pytest.fixture
def sink():
    with Sink() as server:
        yield server


@pytest.fixture
def task_scenario_options():
    return {"second": StepType.MANUAL_EMAIL}


@pytest.fixture
def world(world, session, sink):
    world.mailbox.transport, world.mailbox.smtp_host, world.mailbox.smtp_port = Transport.SMTP, "127.0.0.1", sink.port
    world.mailbox.smtp_security, world.mailbox.min_interval_seconds = SmtpSecurity.NONE, 0
    world.sequence.track_clicks = True
    session.commit()
    return world


def _send(world, sink, body: str) -> str:
    r = world.as_rep.post(f"/api/v1/tasks/{world.task.id}/email", {"subject": "Links", "body": body})
    assert r.status_code == 200, r.json
    [message] = sink.handler.parsed()
    return message.get_body(("html",)).get_content()


def test_without_tracked_domains_no_link_a_rep_writes_is_signed(world, sink):
    html = _send(world, sink, "Look: https://evil.example/phish?x=1")
    assert "/t/c/" not in html
    assert 'href="https://evil.example/phish?x=1"' in html


def test_only_links_to_the_workspace_domains_are_tracked(world, session, sink):
    get_workspace(session).tracked_link_domains = ["sequencer.test"]
    session.commit()
    html = _send(world, sink, "Guide: https://docs.sequencer.test/guide\nElse: https://sequencer.test.evil.example/")
    assert html.count("/t/c/") == 1
    assert 'href="https://sequencer.test.evil.example/"' in html
    assert "https://docs.sequencer.test/guide" not in html.split("/t/c/", 1)[0].rsplit("href", 1)[-1]


def test_prospect_data_in_the_draft_and_in_variables_is_escaped(world, session, sink):
    world.prospect.first_name = HOSTILE
    session.commit()
    draft = world.as_rep.get(f"/api/v1/tasks/{world.task.id}/email").json
    assert HOSTILE in draft["body"]  # the editor shows the text as it is
    html = _send(world, sink, draft["body"] + "\n\nAnd again: {{ prospect.first_name }} <b>bold?</b>")
    assert "<img" not in html and "<b>bold?</b>" not in html
    assert "&lt;img src=x onerror=" in html and "&lt;b&gt;bold?&lt;/b&gt;" in html


def test_a_step_that_cannot_render_opens_an_empty_draft_saying_why(world, session, sink, client):
    world.prospect.fields = {"notes": "x" * 250_000}
    world.run.variant.body = "Hi {{ prospect.first_name }}, {{ prospect.fields.notes }}"
    session.commit()
    r = world.as_rep.get(f"/api/v1/tasks/{world.task.id}/email")
    assert r.status_code == 200, r.json
    assert r.json["body"] == "" and "cannot be rendered" in r.json["problem"]
    html = _send(world, sink, "Hi Ona, written by hand.")
    assert "written by hand" in html


def test_the_task_email_page_says_why_the_draft_is_empty(world, session, client):
    from tests.conftest import login

    world.prospect.fields = {"notes": "x" * 250_000}
    world.run.variant.body = "{{ prospect.fields.notes }}"
    session.commit()
    login(client, world.rep.email)
    res = client.get(f"/tasks/{world.task.id}/email")
    assert res.status_code == 200 and "cannot be rendered for this prospect" in res.get_data(as_text=True)
