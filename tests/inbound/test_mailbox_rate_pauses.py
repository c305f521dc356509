"""The mailbox-health rule pauses a mailbox when hard bounces pass 5% or complaints pass 0.3% of its last 200
sends (counted since the last resume); an admin resumes it after the fix. Real SMTP sink, real inbound API."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from sequencer.mail.send_review import resume_mailbox
from sequencer.models import Event, Task
from sequencer.models.mail import MailboxStatus
from sequencer.platform import clock
from tests.inbound.messages import yahoo_arf
from tests.mail.conftest import cycle, enrol, now, sink, world  # noqa: F401

SECRET = "inbound-test-secret"


@pytest.fixture
def app_config(app_config):
    return {**app_config, "INBOUND_SECRET": SECRET}


def _send(enrol, cycle, n: int, start: int = 0):  # noqa: F811
    for i in range(start, start + n):
        enrol(email=f"p{i}@grudu-baze.lt")
    return cycle()[1]


def test_hard_bounces_past_five_percent_pause_and_a_resume_starts_counting(session, world, enrol, cycle, sink,  # noqa: F811
                                                                          factory, now):  # noqa: F811
    admin = factory.user("admin")
    mailbox = world["mailbox"]
    assert _send(enrol, cycle, 20).sent == 20
    sink.handler.rcpt_reply = "550 5.1.1 <nobody@grudu-baze.lt>: Recipient address rejected: User unknown"
    assert _send(enrol, cycle, 1, start=20).bounced == 1
    session.refresh(mailbox)
    assert mailbox.status == MailboxStatus.ACTIVE  # 1 of 20 is 5.0%: not past the limit
    assert _send(enrol, cycle, 1, start=21).bounced == 1
    session.refresh(mailbox)
    assert mailbox.status == MailboxStatus.PAUSED
    assert mailbox.paused_reason.startswith("hard-bounce rate 10.0% over the last 20 sends (2 of them; the limit "
                                            "is 5.0%)")
    admin_task = session.scalars(select(Task).where(Task.title.like("%paused itself%"))).one()
    assert "hard-bounce rate" in admin_task.instructions

    with clock.frozen(now + timedelta(hours=1)):
        resume_mailbox(session, mailbox, admin, clock.now())
        session.commit()
    with clock.frozen(now + timedelta(hours=2)):
        assert _send(enrol, cycle, 1, start=22).bounced == 1
    session.refresh(mailbox)
    assert mailbox.status == MailboxStatus.ACTIVE  # one bounce since the resume


def test_a_complaint_past_three_per_mille_pauses(client, session, world, enrol, cycle, sink):  # noqa: F811
    assert _send(enrol, cycle, 1).sent == 1
    (sent,) = sink.handler.parsed()
    raw = yahoo_arf(sent.as_bytes(), number=2)
    response = client.post("/api/v1/inbound", data=raw, headers={"X-Inbound-Secret": SECRET,
                                                                   "Content-Type": "message/rfc822"})
    assert response.get_json()["classification"] == "complaint"
    mailbox = world["mailbox"]
    session.refresh(mailbox)
    assert mailbox.status == MailboxStatus.PAUSED
    assert mailbox.paused_reason.startswith("spam complaint rate 5.0% over the last 1 sends")
    assert "Gmail and Yahoo block senders above 0.3%" in mailbox.paused_reason
    paused = session.scalars(select(Event).where(Event.kind == "mailbox_paused")).one()
    assert paused.payload["automatic"] is True
