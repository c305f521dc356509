"""Polling Dovecot through XOAUTH2 (its oauth2 passdb asks the local provider about each token)."""
from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from sequencer.inbound.imap import poll_mailbox
from sequencer.inbound.imap_settings import check_imap
from sequencer.models import InboundMessage, Task
from sequencer.models.mail import MailboxStatus, SmtpSecurity
from sequencer.platform import clock
from tests.inbound.messages import reply
from tests.mailauth.conftest import SECRETS

NOW = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)


@pytest.fixture
def imap_mailbox(session, oauth_mailbox, oauth_dovecot):
    """The OAuth mailbox reading the XOAUTH2 Dovecot, whose INBOX holds one reply."""
    oauth_dovecot.clear()
    oauth_mailbox.imap_host, oauth_mailbox.imap_port = oauth_dovecot.host, oauth_dovecot.port
    oauth_mailbox.imap_username, oauth_mailbox.imap_security = oauth_dovecot.username, SmtpSecurity.NONE
    session.commit()
    oauth_dovecot.append("INBOX", reply(sender="Dana <dana@acme.test>", body="Sounds interesting, call me."))
    return oauth_mailbox


def test_polls_dovecot_through_xoauth2(session, provider, imap_mailbox, oauth_dovecot):
    with clock.frozen(NOW):
        result = poll_mailbox(session, imap_mailbox, SECRETS, NOW)
    assert (result.error, result.ingested) == (None, 1)
    assert session.scalars(select(InboundMessage)).one().mailbox_id == imap_mailbox.id
    assert "method=XOAUTH2" in oauth_dovecot.log_tail(50)
    assert check_imap(imap_mailbox, SECRETS) == (True, "Connected: INBOX holds 1 message(s).")


def test_a_refused_token_is_refreshed_and_the_poll_goes_on(session, provider, imap_mailbox):
    provider.expire_access_tokens()
    with clock.frozen(NOW):
        result = poll_mailbox(session, imap_mailbox, SECRETS, NOW)
    assert (result.error, result.ingested) == (None, 1)
    assert provider.state.counts["refresh_token"] == 1


def test_revoked_grant_stops_polling_and_sending_until_reconnected(session, provider, imap_mailbox):
    provider.revoke_all()
    provider.expire_access_tokens()
    with clock.frozen(NOW):
        result = poll_mailbox(session, imap_mailbox, SECRETS, NOW)
    assert result.error.startswith("reconnect needed") and result.ingested == 0
    session.expire_all()
    assert imap_mailbox.status == MailboxStatus.PAUSED and imap_mailbox.paused_reason.startswith("reconnect needed")
    assert imap_mailbox.oauth_reconnect_reason
    assert session.scalars(select(Task).where(Task.owner_id == imap_mailbox.owner_id)).one()
    ok, message = check_imap(imap_mailbox, SECRETS)
    assert not ok and "refused the refresh token" in message
