"""Step 1 goes out over SMTP, the prospect answers it through each door, and step 2 never goes out."""
from __future__ import annotations

from datetime import timedelta
from email.message import EmailMessage

import pytest
from rq import SimpleWorker
from sqlalchemy import select

from sequencer.models import EnrollmentStatus, Event, InboundMessage, StepRun, StepRunState
from sequencer.models.mail import SmtpSecurity
from sequencer.platform import clock
from sequencer.platform.security import SecretBox
from tests.mail.conftest import cycle, enrol, now, sink, world  # noqa: F401
from tests.support.dovecot import PASSWORD, USERNAME
from workers import jobs, queues
from workers.context import bind_app

INBOUND_SECRET = "inbound-test-secret"


@pytest.fixture
def app_config(app_config):
    return {**app_config, "INBOUND_SECRET": INBOUND_SECRET}


def _answer(sent) -> bytes:
    """What Gmail would send back: threaded on our Message-ID, our text (footer included) quoted below."""
    msg = EmailMessage()
    msg["From"] = sent["To"]
    msg["To"] = sent["From"]
    msg["Subject"] = f"Re: {sent['Subject']}"
    msg["Date"] = "Mon, 07 Dec 2026 11:30:00 +0200"
    msg["Message-ID"] = "<CAF=reply.1@mail.gmail.test>"
    msg["In-Reply-To"] = sent["Message-ID"]
    msg["References"] = sent["Message-ID"]
    quoted = "\n".join(f"> {line}" for line in sent.get_body(("plain",)).get_content().splitlines())
    msg.set_content(f"Yes, this is interesting. Can we talk on Thursday?\n\nOn Mon, 7 Dec 2026, Rūta wrote:\n{quoted}\n")
    return msg.as_bytes()


def _deliver(door, raw, *, app, client, tmp_path, session, world, imap_server, redis_conn):  # noqa: F811
    if door == "api":
        response = client.post("/api/v1/inbound", data=raw, headers={"X-Inbound-Secret": INBOUND_SECRET,
                                                                       "Content-Type": "message/rfc822"})
        assert response.status_code == 200, response.get_json()
        assert response.get_json()["classification"] == "reply"
    elif door == "cli":
        path = tmp_path / "reply.eml"
        path.write_bytes(raw)
        result = app.test_cli_runner().invoke(args=["inbound", str(path)])
        assert result.exit_code == 0, result.output
        assert '"classification": "reply"' in result.output
    else:
        mailbox = world["mailbox"]
        mailbox.imap_host, mailbox.imap_port, mailbox.imap_username = imap_server.host, imap_server.port, USERNAME
        mailbox.imap_security = SmtpSecurity.NONE
        mailbox.imap_password_encrypted = SecretBox(app.config["SECRET_KEY"]).encrypt(PASSWORD)
        session.commit()
        imap_server.append("INBOX", raw)
        bind_app(app)
        queue = queues.queue(queues.DEFAULT, redis_conn)
        queue.enqueue(jobs.poll_inbound)
        SimpleWorker([queue], connection=redis_conn).work(burst=True)


@pytest.mark.parametrize("door", ["api", "cli", "imap"])
def test_a_reply_through_each_door_stops_the_sequence(door, app, client, session, sink, enrol, cycle, world,  # noqa: F811
                                                      tmp_path, imap_server, redis_conn):
    prospect = enrol(email="sarunas@grudu-baze-demo.com")
    assert cycle()[1].sent == 1
    (sent,) = sink.handler.parsed()

    _deliver(door, _answer(sent), app=app, client=client, tmp_path=tmp_path, session=session, world=world,
             imap_server=imap_server, redis_conn=redis_conn)

    session.expire_all()
    stored = session.scalars(select(InboundMessage)).one()
    assert (stored.source, stored.classification, stored.prospect_id) == (door, "reply", prospect.id)
    first, second = session.scalars(select(StepRun).order_by(StepRun.position)).all()
    assert stored.step_run_id == first.id and first.enrollment.status == EnrollmentStatus.EXITED
    assert second.state == StepRunState.SKIPPED
    replied = session.scalars(select(Event).where(Event.kind == "replied")).one()
    assert (replied.step_run_id, replied.variant_id, replied.inbound_message_id) == (first.id, first.variant_id,
                                                                                   stored.id)

    with clock.frozen(clock.now() + timedelta(days=3)):
        assert cycle()[1].sent == 0
    assert len(sink.handler.messages) == 1  # step 2 never went out
