"""Needs attention on the Outbox, resuming a paused mailbox in settings, and the paused-mailbox banner."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import event as sa_event, select

from sequencer.extensions import db
from sequencer.models import Event, StepRun, StepRunState
from sequencer.models.mail import MailboxStatus
from sequencer.platform import clock
from tests.conftest import TEST_PASSWORD, csrf_token_from
from tests.mail.test_send_review import NOW, STARTED, stuck_run

HX = {"HX-Request": "true"}


@pytest.fixture(autouse=True)
def _clock():
    clock.freeze(NOW)


def _two_stuck(factory, session):
    mailbox = factory.mailbox(email="ruta@sales.test")
    uncertain = stuck_run(factory, mailbox=mailbox)
    uncertain.enrollment.prospect.email = "jonas@client.test"
    failed = stuck_run(factory, state=StepRunState.FAILED, mailbox=mailbox)
    session.commit()
    return uncertain, failed


def _row(html: str, run_id: int) -> str:
    match = re.search(rf'<tr id="attention-{run_id}".*?</tr>', html, re.S)
    assert match, f"no row for run {run_id}"
    return match.group(0)


def test_outbox_lists_uncertain_and_failed_with_their_actions(client, as_role, factory, session):
    as_role("admin")
    uncertain, failed = _two_stuck(factory, session)
    html = client.get("/outbox").get_data(as_text=True)

    assert "Needs attention" in html
    assert re.search(r'Outbox\s*<span id="nav-attention" class="badge badge-warn"[^>]*>2</span>', html)
    row = _row(html, uncertain.id)
    assert "Connection lost after the message was handed over: connection reset." in row
    assert "jonas@client.test" in row and "ruta@sales.test" in row
    assert "handed to SMTP " + STARTED.strftime("%d %b %Y") in row
    assert "Mark sent" in row and "Send again" in row
    assert f'hx-post="/outbox/attention/{uncertain.id}/mark-sent"' in row
    row = _row(html, failed.id)
    assert "554 5.7.1 rejected: spam" in row and "after 5 attempts" in row
    assert "Send again" in row and "Mark sent" not in row


def test_mark_sent_swaps_the_row_and_moves_the_sequence_on(client, as_role, factory, session):
    admin = as_role("admin")
    uncertain, _ = _two_stuck(factory, session)
    response = client.post(f"/outbox/attention/{uncertain.id}/mark-sent", headers=HX)

    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert html.lstrip().startswith(f'<tr id="attention-{uncertain.id}"')
    assert "Marked sent" in html and "Next: step 2" in html
    # the counts elsewhere on the page follow along (htmx out-of-band swaps)
    assert '<span id="attention-count" class="badge badge-warn" hx-swap-oob="true">1</span>' in html
    assert re.search(r'<span id="nav-attention" [^>]*hx-swap-oob="true">1</span>', html)
    session.expire_all()
    run = session.get(StepRun, uncertain.id)
    assert run.state == StepRunState.SENT and run.sent_at == STARTED
    assert run.message_id and run.message_id.startswith(f"<sr{run.id}.")  # same Message-ID as the lost send
    assert run.subject == f"Hi {run.enrollment.prospect.first_name}"  # so it shows in the sent list
    nxt = session.scalar(select(StepRun).where(StepRun.enrollment_id == run.enrollment_id, StepRun.position == 2))
    assert nxt.state == StepRunState.SCHEDULED
    sent = session.scalar(select(Event).where(Event.kind == "sent"))
    assert sent.step_run_id == run.id and sent.payload == {"confirmed_by": admin.id}
    outbox = client.get("/outbox").get_data(as_text=True)
    assert f'id="attention-{uncertain.id}"' not in outbox
    assert re.search(r'Outbox\s*<span id="nav-attention" class="badge badge-warn"[^>]*>1</span>', outbox)


def test_send_again_requeues_from_the_outbox(client, as_role, factory, session):
    as_role("manager", name="Mia Manager")
    _, failed = _two_stuck(factory, session)
    response = client.post(f"/outbox/attention/{failed.id}/send-again", headers=HX)

    assert response.status_code == 200 and "Queued again" in response.get_data(as_text=True)
    assert '<span id="attention-count" class="badge badge-warn" hx-swap-oob="true">1</span>' in response.text
    session.expire_all()
    run = session.get(StepRun, failed.id)
    assert (run.state, run.attempt, run.due_at, run.error) == (StepRunState.SCHEDULED, 0, NOW, None)
    assert run.why_waiting == "queued again by Mia Manager"
    assert session.scalar(select(Event.kind).where(Event.step_run_id == run.id)) == "send_retried"


def test_wrong_state_is_refused_and_the_reason_shown(client, as_role, factory, session):
    as_role("admin")
    _, failed = _two_stuck(factory, session)
    response = client.post(f"/outbox/attention/{failed.id}/mark-sent", headers=HX)

    assert response.status_code == 409
    html = response.get_data(as_text=True)
    assert html.lstrip().startswith(f'<tr id="attention-{failed.id}"')  # swapped in place (htmx swaps 409s)
    assert "Can&#39;t mark it sent: the message is failed, not uncertain." in html
    session.expire_all()
    assert session.get(StepRun, failed.id).state == StepRunState.FAILED

    # without htmx: back to the Outbox with the reason flashed
    response = client.post(f"/outbox/attention/{failed.id}/mark-sent")
    assert response.status_code == 302 and response.headers["Location"].endswith("/outbox")
    assert "can&#39;t mark it sent: the message is failed" in client.get("/outbox").get_data(as_text=True)


def test_a_double_click_is_answered_once(client, as_role, factory, session):
    as_role("admin")
    uncertain, _ = _two_stuck(factory, session)
    assert client.post(f"/outbox/attention/{uncertain.id}/send-again", headers=HX).status_code == 200
    second = client.post(f"/outbox/attention/{uncertain.id}/send-again", headers=HX)
    assert second.status_code == 409
    assert "the message is scheduled, not uncertain or failed" in second.get_data(as_text=True)
    assert len(session.scalars(select(Event).where(Event.kind == "send_retried")).all()) == 1


def test_reps_cannot_act_or_see_the_queue(client, as_role, factory, session):
    rep = as_role("rep")
    uncertain, failed = _two_stuck(factory, session)
    paused = factory.mailbox(status=MailboxStatus.PAUSED, paused_reason="auth failed")
    uncertain.enrollment.prospect.owner_id = rep.id
    session.commit()
    assert client.post(f"/outbox/attention/{uncertain.id}/mark-sent", headers=HX).status_code == 403
    assert client.post(f"/outbox/attention/{failed.id}/send-again", headers=HX).status_code == 403
    assert client.post(f"/settings/mailboxes/{paused.id}/resume").status_code == 403
    html = client.get("/outbox").get_data(as_text=True)
    assert "Needs attention" not in html and "badge-warn" not in html
    session.expire_all()
    assert session.get(StepRun, uncertain.id).state == StepRunState.UNCERTAIN
    assert session.get(StepRun, failed.id).state == StepRunState.FAILED


def test_managers_cannot_resume_a_mailbox(client, as_role, factory, session):
    as_role("manager")
    paused = factory.mailbox(status=MailboxStatus.PAUSED, paused_reason="auth failed")
    session.commit()
    assert client.post(f"/settings/mailboxes/{paused.id}/resume").status_code == 403


def test_settings_shows_the_pause_reason_and_resume_clears_it(client, as_role, factory, session):
    as_role("admin")
    paused = factory.mailbox(email="ona@sales.test", status=MailboxStatus.PAUSED, consecutive_failures=3,
                             paused_reason="3 failed connections: [Errno 111] Connection refused")
    factory.mailbox(email="fine@sales.test")
    session.commit()
    html = client.get("/settings/mailboxes").get_data(as_text=True)
    callout = re.search(r'<div class="paused-callout" id="mailbox-\d+".*?</form>', html, re.S).group(0)
    assert "ona@sales.test" in callout and "3 failed connections: [Errno 111] Connection refused" in callout
    assert "Resume sending" in callout and f'action="/settings/mailboxes/{paused.id}/resume"' in callout
    assert "fine@sales.test" not in callout
    assert "Resume sending" in client.get(f"/settings/mailboxes/{paused.id}").get_data(as_text=True)

    response = client.post(f"/settings/mailboxes/{paused.id}/resume")
    assert response.status_code == 302 and response.headers["Location"].endswith("/settings/mailboxes")
    session.expire_all()
    box = session.get(type(paused), paused.id)
    assert (box.status, box.paused_reason, box.consecutive_failures) == (MailboxStatus.ACTIVE, None, 0)
    html = client.get("/settings/mailboxes").get_data(as_text=True)
    assert "ona@sales.test is sending again." in html and "paused-callout" not in html
    assert session.scalar(select(Event.kind).where(Event.mailbox_id == paused.id)) == "mailbox_resumed"


def test_banner_shows_for_the_mailbox_owner_only(client, as_role, factory, session):
    rep = as_role("rep")
    factory.mailbox(email="rep.box@sales.test", owner_id=rep.id, status=MailboxStatus.PAUSED,
                    paused_reason="535 5.7.8 authentication failed")
    factory.mailbox(email="other@sales.test", status=MailboxStatus.PAUSED, paused_reason="someone else's")
    session.commit()
    for path in ("/tasks", "/prospects"):
        html = client.get(path).get_data(as_text=True)
        text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", re.search(r'<div class="banner".*?</div>\s*</div>',
                                                                    html, re.S).group(0))).strip()
        assert text.startswith("Your mailbox rep.box@sales.test is paused: 535 5.7.8 authentication failed. "
                               "Ask an admin to resume it.")
        assert "other@sales.test" not in html


def test_banner_gives_an_admin_owner_the_resume_link(client, as_role, factory, session):
    admin = as_role("admin")
    box = factory.mailbox(email="admin.box@sales.test", owner_id=admin.id, status=MailboxStatus.PAUSED,
                          paused_reason="daily bounce limit")
    session.commit()
    html = client.get("/sequences").get_data(as_text=True)
    banner = re.search(r'<div class="banner".*?</div>\s*</div>', html, re.S).group(0)
    assert "admin.box@sales.test" in banner and "Ask an admin" not in banner
    assert f'href="/settings/mailboxes#mailbox-{box.id}"' in banner


def test_no_banner_when_nothing_is_paused(client, as_role, factory, session):
    rep = as_role("rep")
    factory.mailbox(owner_id=rep.id)
    session.commit()
    assert 'class="banner"' not in client.get("/tasks").get_data(as_text=True)


def test_outbox_attention_list_does_not_query_per_row(client, as_role, factory, session):
    as_role("admin")
    statements: list[str] = []

    def record(conn, cursor, statement, *args):
        statements.append(statement)

    def count() -> int:
        statements.clear()
        sa_event.listen(db.engine, "before_cursor_execute", record)
        try:
            assert client.get("/outbox").status_code == 200
        finally:
            sa_event.remove(db.engine, "before_cursor_execute", record)
        return len(statements)

    for _ in range(2):
        stuck_run(factory)
        stuck_run(factory, state=StepRunState.FAILED)
    session.commit()
    before = count()
    for _ in range(6):
        stuck_run(factory)
        stuck_run(factory, state=StepRunState.FAILED)
    session.commit()
    assert count() == before


class TestWithCsrf:
    """As in production: the htmx buttons carry the token from <body hx-headers>."""

    @pytest.fixture
    def app_config(self, app_config):
        return {**app_config, "WTF_CSRF_ENABLED": True}

    def test_actions_need_the_token(self, client, factory, session):
        admin = factory.user("admin")
        uncertain = stuck_run(factory)
        session.commit()
        token = csrf_token_from(client.get("/login").get_data(as_text=True))
        client.post("/login", data={"email": admin.email, "password": TEST_PASSWORD, "csrf_token": token})
        html = client.get("/outbox").get_data(as_text=True)
        meta = re.search(r'<meta name="csrf-token" content="([^"]+)"', html).group(1)
        url = f"/outbox/attention/{uncertain.id}/send-again"
        assert client.post(url, headers=HX).status_code == 400
        assert client.post(url, headers={**HX, "X-CSRFToken": meta}).status_code == 200
        session.expire_all()
        assert session.get(StepRun, uncertain.id).state == StepRunState.SCHEDULED
