"""Real SMTP out, reports back in: a DMARC rejection pauses the mailbox (prospects untouched, the step goes again
after the resume), through IMAP and the API; the same refusal at SMTP time does the same; an ARF report stops
the prospect for good."""
from __future__ import annotations

from datetime import timedelta
from email import message_from_bytes
from pathlib import Path

import pytest
from rq import SimpleWorker
from sqlalchemy import select

from sequencer.mail.send_review import resume_mailbox
from sequencer.mail.sending import settings_for
from sequencer.models import (
    Enrollment,
    EnrollmentStatus,
    Event,
    InboundMessage,
    Mailbox,
    ProspectStatus,
    StepRun,
    StepRunState,
    Suppression,
    Task,
)
from sequencer.models.mail import MailboxStatus, SmtpSecurity
from sequencer.outreach.enrol import enroll
from sequencer.platform import clock
from sequencer.platform.security import SecretBox
from tests.inbound.messages import yahoo_arf
from tests.mail.conftest import cycle, enrol, now, sink, world  # noqa: F401
from tests.support.dovecot import PASSWORD, USERNAME
from workers import jobs, queues
from workers.context import bind_app

SECRET = "inbound-test-secret"
DMARC = ("550-5.7.26 Unauthenticated email from kvitas-demo.com is not accepted due to\n"
         "550-5.7.26 domain's DMARC policy. Please contact the administrator of\n"
         "550-5.7.26 kvitas-demo.com domain if this was a legitimate mail. - gsmtp")


@pytest.fixture
def app_config(app_config):
    return {**app_config, "INBOUND_SECRET": SECRET}


def _gmail_dsn(sent, n: int) -> bytes:
    """Gmail's report of a DMARC refusal of one of our sent emails (RFC 3464, the original's headers returned)."""
    to = sent["To"].addresses[0].addr_spec
    headers = "".join(f"{k}: {v}\n" for k, v in sent.items() if k.lower() in ("from", "to", "subject", "message-id",
                                                                                   "date"))
    return (f"Return-Path: <>\nFrom: Mail Delivery Subsystem <mailer-daemon@googlemail.com>\nTo: {sent['From']}\n"
            f"Subject: Delivery Status Notification (Failure)\nMessage-ID: <dsn.{n}@mx.google.test>\n"
            "Date: Mon, 07 Dec 2026 10:01:00 +0000\nAuto-Submitted: auto-replied\nMIME-Version: 1.0\n"
            "Content-Type: multipart/report; report-type=delivery-status; boundary=GG\n\n--GG\n"
            f"Content-Type: text/plain; charset=UTF-8\n\n** Message blocked **\n\nYour message to {to} has been "
            f"blocked.\n\nThe response from the remote server was:\n{DMARC}\n\n--GG\n"
            "Content-Type: message/delivery-status\n\nReporting-MTA: dns; googlemail.com\n\n"
            f"Final-Recipient: rfc822; {to}\nAction: failed\nStatus: 5.7.26\nRemote-MTA: dns; gmail-smtp-in.l.google.com\n"
            f"Diagnostic-Code: smtp; {DMARC.replace(chr(10), ' ')}\n\n--GG\nContent-Type: text/rfc822-headers\n\n"
            f"{headers}\n--GG--\n").encode()


def _deliver(door, raws, *, app, client, session, world, imap_server, redis_conn):  # noqa: F811
    if door == "api":
        for raw in raws:
            response = client.post("/api/v1/inbound", data=raw, headers={"X-Inbound-Secret": SECRET,
                                                                           "Content-Type": "message/rfc822"})
            assert response.status_code == 200, response.get_json()
            body = response.get_json()
            assert body["classification"] == "bounce" and body["bounce"]["class"] == "sender", body
            assert body["bounce"]["reason"] == "auth_failure" and body["bounce"]["status"] == "5.7.26"
            assert body["bounce"]["mta"] == "gmail" and body["bounce"]["recipient"].endswith("@gmail-demo.test")
        return
    mailbox = world["mailbox"]
    mailbox.imap_host, mailbox.imap_port, mailbox.imap_username = imap_server.host, imap_server.port, USERNAME
    mailbox.imap_security = SmtpSecurity.NONE
    mailbox.imap_password_encrypted = SecretBox(app.config["SECRET_KEY"]).encrypt(PASSWORD)
    session.commit()
    for raw in raws:
        imap_server.append("INBOX", raw)
    bind_app(app)
    queue = queues.queue(queues.DEFAULT, redis_conn)
    queue.enqueue(jobs.poll_inbound)
    SimpleWorker([queue], connection=redis_conn).work(burst=True)


def _five(enrol):  # noqa: F811
    return [enrol(email=f"cfo{i}@gmail-demo.test", first_name=f"Vardas{i}") for i in range(5)]


def _paused_and_untouched(session, world, prospects):  # noqa: F811
    session.expire_all()
    mailbox = session.get_one(Mailbox, world["mailbox"].id)
    assert mailbox.status == MailboxStatus.PAUSED
    assert mailbox.paused_reason.startswith("Gmail rejects our mail: DMARC failure for kvitas-demo.com"), \
        mailbox.paused_reason
    for prospect in prospects:
        session.refresh(prospect)
        assert prospect.status == ProspectStatus.ACTIVE
    assert session.scalars(select(Suppression)).all() == []
    assert {e.status for e in session.scalars(select(Enrollment))} == {EnrollmentStatus.ACTIVE}
    assert len(session.scalars(select(Event).where(Event.kind == "sender_rejected")).all()) == 5
    return mailbox


def _resume_and_resend(session, world, sink, cycle, admin):  # noqa: F811
    with clock.frozen(clock.now() + timedelta(days=2)):
        assert cycle()[1].sent == 0  # paused: nothing goes, the steps wait
    mailbox = session.get_one(Mailbox, world["mailbox"].id)
    before = len(sink.handler.messages)
    resume_mailbox(session, mailbox, admin, clock.now())
    session.commit()
    with clock.frozen(clock.now() + timedelta(days=2)):
        assert cycle()[1].sent == 5
    again = sink.handler.parsed()[before:]
    assert len(again) == 5 and {m["Subject"] for m in again} == {m["Subject"] for m in sink.handler.parsed()[:5]}
    firsts = session.scalars(select(StepRun).where(StepRun.position == 1)).all()
    assert {r.state for r in firsts} == {StepRunState.SENT}


@pytest.mark.parametrize("door", ["api", "imap"])
def test_a_dmarc_rejection_pauses_the_mailbox_and_the_step_goes_again(door, app, client, session, sink, enrol,  # noqa: F811
                                                                      cycle, world, factory, imap_server, redis_conn):  # noqa: F811
    admin = factory.user("admin", email="admin@kvitas-demo.com")
    session.commit()
    prospects = _five(enrol)
    assert cycle()[1].sent == 5
    sent = sink.handler.parsed()
    _deliver(door, [_gmail_dsn(m, i) for i, m in enumerate(sent)], app=app, client=client, session=session,
             world=world, imap_server=imap_server, redis_conn=redis_conn)

    _paused_and_untouched(session, world, prospects)
    assert {r.classification for r in session.scalars(select(InboundMessage))} == {"bounce"}
    task = session.scalars(select(Task).where(Task.owner_id == admin.id)).one()
    assert "paused itself" in task.title and "DMARC failure for kvitas-demo.com" in task.instructions
    bind_app(app)
    assert jobs.notify_paused_mailboxes() == {"emailed": 1}
    assert jobs.notify_paused_mailboxes() == {"emailed": 0}  # once per admin
    emailed = session.scalars(select(Event).where(Event.task_id == task.id, Event.user_id == admin.id,
                                                  Event.kind == "mailbox_paused_emailed")).one()
    outbox = Path(settings_for(app.config).outbox_dir)  # the admin has no mailbox of their own: the outbox
    (notice,) = [message_from_bytes(p.read_bytes()) for p in outbox.glob("*.eml")
                 if emailed.payload["message_id"].strip("<>") in p.read_bytes().decode(errors="replace")]
    assert notice["To"] == admin.email and "paused itself" in notice["Subject"]

    _resume_and_resend(session, world, sink, cycle, admin)


def test_the_same_refusal_at_smtp_time_is_ours_too(app, session, sink, enrol, cycle, world, factory):  # noqa: F811
    admin = factory.user("admin", email="admin@kvitas-demo.com")
    session.commit()
    prospects = _five(enrol)
    sink.handler.data_reply = ("550 5.7.26 Unauthenticated email from kvitas-demo.com is not accepted due to "
                               "domain's DMARC policy - gsmtp")
    result = cycle()[1]
    assert result.sent == 0 and result.bounced == 0 and result.retried == 5
    mailbox = _paused_and_untouched(session, world, prospects)
    assert "5 sender-side rejections within an hour" in mailbox.paused_reason
    sink.handler.data_reply = None
    sink.handler.messages.clear()
    with clock.frozen(clock.now() + timedelta(days=2)):
        assert cycle()[1].sent == 0
    resume_mailbox(session, mailbox, admin, clock.now())
    session.commit()
    with clock.frozen(clock.now() + timedelta(days=2)):
        assert cycle()[1].sent == 5


def test_an_arf_report_stops_the_prospect_for_good(app, client, session, sink, enrol, cycle, world):  # noqa: F811
    prospect = enrol(email="angry@yahoo-demo.test")
    assert cycle()[1].sent == 1
    (sent,) = sink.handler.parsed()
    raw = yahoo_arf(sent.as_bytes())
    response = client.post("/api/v1/inbound", data=raw, headers={"X-Inbound-Secret": SECRET,
                                                                   "Content-Type": "message/rfc822"})
    assert response.status_code == 200 and response.get_json()["classification"] == "complaint", response.get_json()
    session.expire_all()
    assert prospect.status == ProspectStatus.COMPLAINED
    assert session.scalars(select(Suppression.value)).all() == ["angry@yahoo-demo.test"]
    assert session.scalars(select(Enrollment)).one().status == EnrollmentStatus.EXITED
    complained = session.scalars(select(Event).where(Event.kind == "complained")).one()
    assert complained.mailbox_id == world["mailbox"].id

    again = enroll(session, world["sequence"], [prospect.id], actor=world["rep"], now=clock.now())
    assert again.skipped == [(prospect.id, "complained")]
