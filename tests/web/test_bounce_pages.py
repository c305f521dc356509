"""Reason and class on the inbound message page and the prospect timeline; deliverability on the mailbox page;
the pause rule on the workspace page."""
from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from sequencer.inbound.service import ingest
from sequencer.models import Event, Workspace
from tests.inbound.conftest import corpus_world, now  # noqa: F401  (fixtures)

CORPUS = Path(__file__).parents[1] / "inbound" / "corpus"


def test_the_message_page_and_the_timeline_show_reason_and_class(client, as_role, session, corpus_world, now):  # noqa: F811
    result = ingest(session, (CORPUS / "bounce_postfix_511.eml").read_bytes(), source="api", now=now)
    as_role("admin")
    html = client.get(f"/inbound/{result.id}").get_data(as_text=True)
    assert "User unknown" in html and "bounce-class-hard" in html and "The address is dead" in html
    assert "Reported by" in html and "Postfix" in html
    tom = corpus_world["prospects"]["tom.baker@widgetco.test"]
    timeline = client.get(f"/prospects/{tom.id}").get_data(as_text=True)
    assert "Bounced" in timeline and "User unknown" in timeline and "bounce-class-hard" in timeline


def test_the_mailbox_page_shows_sender_side_rejections_and_complaints_per_day(client, as_role, session,
                                                                               corpus_world, now):  # noqa: F811
    mailbox = corpus_world["mailbox"]
    session.add_all([Event(kind="sender_rejected", occurred_at=now - timedelta(days=1), mailbox_id=mailbox.id)
                     for _ in range(3)] + [Event(kind="complained", occurred_at=now, mailbox_id=mailbox.id)])
    session.commit()
    as_role("admin")
    html = client.get(f"/settings/mailboxes/{mailbox.id}").get_data(as_text=True)
    assert "Deliverability" in html and "Sender-side rejections" in html
    yesterday = (now - timedelta(days=1)).strftime("%a %d %b")
    assert f"<td>{yesterday}</td><td>3</td><td>0</td>" in html
    assert f"<td>{now.strftime('%a %d %b')}</td><td>0</td><td>1</td>" in html


def test_the_pause_rule_is_set_on_the_workspace_page_and_refused_when_wrong(client, as_role, session):
    as_role("admin")
    form = {"company_name": "Acme", "days": ["mon", "tue"], "window_start": "09:00", "window_end": "17:00",
            "fallback_timezone": "Europe/Vilnius", "sender_rejection_threshold": "3",
            "sender_rejection_window_minutes": "30"}
    page = client.get("/settings/workspace").get_data(as_text=True)
    token = page.split('name="csrf_token" value="')[1].split('"')[0]
    assert client.post("/settings/workspace", data={**form, "csrf_token": token}).status_code == 302
    session.expire_all()
    ws = session.query(Workspace).one()
    assert (ws.sender_rejection_threshold, ws.sender_rejection_window_minutes) == (3, 30)
    bad = client.post("/settings/workspace", data={**form, "csrf_token": token, "sender_rejection_threshold": "0"})
    assert bad.status_code == 422 and "between 1 and 1000" in bad.get_data(as_text=True)
    session.expire_all()
    assert session.query(Workspace).one().sender_rejection_threshold == 3
