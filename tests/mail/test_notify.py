"""Notifications to our own users (the stale-deal email) through the transport interface, once per task."""
from __future__ import annotations

from datetime import UTC, datetime
from email import message_from_bytes, policy
from pathlib import Path

from sqlalchemy import select

from sequencer.accounts.workspace import get_workspace
from sequencer.deals.stale import create_reminders
from sequencer.mail import notify
from sequencer.mail.sending import settings_for
from sequencer.models import Event
from sequencer.models.mail import SmtpSecurity, Transport
from tests.support.smtp_sink import ScriptedHandler, Sink

CREATED = datetime(2026, 11, 16, 9, 0, tzinfo=UTC)
NOW = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)


def _reminder(session, factory):
    opp = factory.opportunity(stage="proposal", created_at=CREATED)
    session.commit()
    [task_id] = create_reminders(session, NOW).created
    session.commit()
    return opp, task_id


def _events(session, kind):
    return list(session.scalars(select(Event).where(Event.kind == kind)))


def test_an_owner_without_a_mailbox_gets_it_in_the_outbox(app, session, factory):
    opp, task_id = _reminder(session, factory)
    assert notify.email_stale_owner(session, task_id, settings_for(app.config)) is True
    [eml] = Path(app.config["OUTBOX_DIR"]).glob("*.eml")
    msg = message_from_bytes(eml.read_bytes(), policy=policy.default)
    assert msg["To"] == opp.owner.email and msg["Auto-Submitted"] == "auto-generated"
    [event] = _events(session, notify.EMAILED)
    assert event.payload["message_id"] == msg["Message-ID"] and event.task_id == task_id
    assert notify.email_stale_owner(session, task_id, settings_for(app.config)) is False  # once per task
    assert len(list(Path(app.config["OUTBOX_DIR"]).glob("*.eml"))) == 1


def test_a_refused_email_is_recorded_and_may_be_tried_again(app, session, factory):
    opp, task_id = _reminder(session, factory)
    with Sink(ScriptedHandler(rcpt_reply="550 5.1.1 no such user")) as sink:
        mailbox = factory.mailbox(owner_id=opp.owner_id, transport=Transport.SMTP, smtp_host="127.0.0.1",
                                  smtp_port=sink.port, smtp_security=SmtpSecurity.NONE)
        session.commit()
        assert notify.email_stale_owner(session, task_id, settings_for(app.config)) is False
    [failed] = _events(session, notify.FAILED)
    assert "no such user" in failed.payload["error"] and not _events(session, notify.EMAILED)
    with Sink() as sink:
        mailbox.smtp_port = sink.port
        session.commit()
        assert notify.email_stale_owner(session, task_id, settings_for(app.config)) is True
    [envelope] = sink.handler.envelopes
    assert (envelope.mail_from, envelope.rcpt_tos) == (mailbox.email, [opp.owner.email])
    assert not list(Path(app.config["OUTBOX_DIR"]).glob("*.eml"))  # SMTP, not the outbox


def test_owner_emails_only_when_the_workspace_asks(app, session, factory):
    _, task_id = _reminder(session, factory)
    assert notify.email_stale_owners(session, [task_id], settings_for(app.config)) == 0
    get_workspace(session).stale_email_owner = True
    session.commit()
    assert notify.email_stale_owners(session, [task_id], settings_for(app.config)) == 1
    assert notify.email_stale_owners(session, [], settings_for(app.config)) == 0
