"""One transport interface: SMTP and the outbox take the same `send`, and callers never ask which one they have."""
from __future__ import annotations

import inspect
from pathlib import Path

from sqlalchemy import select

from sequencer.mail.transports import OutboxTransport, SmtpTransport, open_transport, outbox_filename
from sequencer.models import StepRun, StepRunState
from sequencer.models.mail import Transport


def test_smtp_and_outbox_send_take_the_same_arguments():
    assert inspect.signature(SmtpTransport.send) == inspect.signature(OutboxTransport.send)
    assert list(inspect.signature(OutboxTransport.send).parameters) == [
        "self", "sender", "recipient", "data", "message_id"]


def test_open_transport_follows_the_mailbox(factory, tmp_path):
    smtp = factory.mailbox(transport=Transport.SMTP, smtp_host="127.0.0.1", smtp_port=25)
    outbox = factory.mailbox(transport=Transport.OUTBOX)
    assert isinstance(open_transport(smtp, "k", str(tmp_path)), SmtpTransport)
    assert isinstance(open_transport(outbox, "k", str(tmp_path)), OutboxTransport)
    assert isinstance(open_transport(None, "k", str(tmp_path)), OutboxTransport)


def test_a_batch_through_the_outbox_names_the_file_after_the_message_id(app, session, world, enrol, cycle):
    world["mailbox"].transport = Transport.OUTBOX
    session.commit()
    enrol()
    assert cycle()[1].sent == 1
    session.expire_all()
    run = session.scalars(select(StepRun).where(StepRun.position == 1)).one()
    assert run.state == StepRunState.SENT and run.message_id
    stored = Path(app.config["OUTBOX_DIR"]) / outbox_filename(run.message_id)
    assert f"Message-ID: {run.message_id}" in stored.read_text()
