"""Sending through SASL XOAUTH2 into a sink that checks each token with the provider; refresh on 535;
a revoked grant pauses the mailbox with nothing lost, and its emails go once it is connected again."""
from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from sequencer.mail import oauth_mailboxes
from sequencer.mail.sending import dispatch_and_send
from sequencer.mailauth.providers import GOOGLE
from sequencer.models import Sequence, SequenceStatus, Step, StepRun, StepRunState, StepType, Task, TaskStatus, Variant
from sequencer.models.mail import MailboxStatus
from sequencer.outreach.enrol import enroll
from sequencer.platform import clock
from tests.mailauth.conftest import SECRETS
from tests.support.dovecot import USERNAME

MONDAY = datetime(2026, 12, 7, 8, 0, tzinfo=UTC)


@pytest.fixture
def now():
    with clock.frozen(MONDAY):
        yield MONDAY


@pytest.fixture
def queued(factory, session, now, oauth_mailbox):
    """One prospect enrolled in a one-email sequence from the OAuth mailbox: its email is due now."""
    rep = oauth_mailbox.owner
    seq = Sequence(name="Intro", status=SequenceStatus.ACTIVE, owner_id=rep.id)
    seq.steps = [Step(position=1, type=StepType.AUTO_EMAIL, variants=[Variant(
        label="A", subject="Hello {{ prospect.first_name }}", body="Hi {{ prospect.first_name }}")])]
    session.add(seq)
    prospect = factory.prospect(email="dana@acme.test", first_name="Dana", timezone="Europe/Vilnius", country="LT")
    session.commit()
    enroll(session, seq, [prospect.id], actor=rep, now=clock.now(), mailbox_id=oauth_mailbox.id)
    session.commit()
    return prospect


def _cycle(app, session):
    return dispatch_and_send(session, app.config, clock.now())[1]


def _run(session) -> StepRun:
    session.expire_all()
    return session.scalars(select(StepRun)).one()


def test_sends_through_xoauth2_into_the_sink(app, session, queued, xoauth2_sink):
    assert _cycle(app, session).sent == 1
    assert xoauth2_sink.handler.logins == [USERNAME] and xoauth2_sink.handler.refusals == []
    (msg,) = xoauth2_sink.handler.parsed()
    assert msg["To"].addresses[0].addr_spec == "dana@acme.test" and msg["Subject"] == "Hello Dana"
    assert _run(session).state == StepRunState.SENT


def test_a_refused_token_is_refreshed_and_the_login_tried_once_more(app, session, queued, xoauth2_sink, provider):
    provider.expire_access_tokens()  # the server refuses a token we still think valid: 535
    assert _cycle(app, session).sent == 1
    assert xoauth2_sink.handler.refusals == [USERNAME] and xoauth2_sink.handler.logins == [USERNAME]
    assert provider.state.counts["refresh_token"] == 1 and len(xoauth2_sink.handler.messages) == 1


def test_revoked_grant_pauses_sending_keeps_the_email_and_sends_it_after_reconnect(
        app, session, queued, xoauth2_sink, provider, oauth_mailbox):
    provider.revoke_all()
    provider.expire_access_tokens()
    result = _cycle(app, session)
    assert result.sent == 0 and xoauth2_sink.handler.messages == []
    session.expire_all()
    assert oauth_mailbox.status == MailboxStatus.PAUSED
    assert oauth_mailbox.paused_reason.startswith("reconnect needed") and oauth_mailbox.oauth_reconnect_reason
    run = _run(session)
    assert run.state == StepRunState.SCHEDULED and run.send_started_at is None  # queued, untouched
    owner_task = session.scalars(select(Task).where(Task.owner_id == oauth_mailbox.owner_id)).one()
    assert owner_task.status == TaskStatus.OPEN and "Reconnect" in owner_task.title
    assert _cycle(app, session).sent == 0  # paused: nothing is tried

    oauth_mailboxes.connect(session, GOOGLE, {"mailbox_id": oauth_mailbox.id}, provider.grant_directly(USERNAME),
                            SECRETS, oauth_mailbox.owner, clock.now())
    session.commit()
    session.expire_all()
    assert oauth_mailbox.status == MailboxStatus.ACTIVE and oauth_mailbox.oauth_reconnect_reason is None
    assert session.get(Task, owner_task.id).status == TaskStatus.DONE
    assert _cycle(app, session).sent == 1
    assert len(xoauth2_sink.handler.messages) == 1 and _run(session).state == StepRunState.SENT
    assert _cycle(app, session).sent == 0 and len(xoauth2_sink.handler.messages) == 1  # exactly once


def test_a_missing_oauth_client_pauses_the_mailbox_and_keeps_the_email(app, session, queued, oauth_mailbox,
                                                                        xoauth2_sink, google_app):
    session.delete(google_app)
    oauth_mailbox.oauth_expires_at = clock.now()  # the next login needs a refresh, which needs the client
    session.commit()
    assert _cycle(app, session).sent == 0 and xoauth2_sink.handler.messages == []
    session.expire_all()
    assert oauth_mailbox.status == MailboxStatus.PAUSED and "Google is not set up" in oauth_mailbox.paused_reason
    assert oauth_mailbox.oauth_reconnect_reason is None  # an admin's fix, not the owner's sign-in
    run = _run(session)
    assert run.state == StepRunState.SCHEDULED and run.send_started_at is None
