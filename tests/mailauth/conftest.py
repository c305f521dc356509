"""A local OAuth provider, the OAuth client pointed at it, an XOAUTH2 SMTP sink and Dovecot with XOAUTH2."""
from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from sequencer.mailauth import apps
from sequencer.mailauth.providers import GOOGLE
from sequencer.mailauth.tokens import store_grant
from sequencer.models.mail import MailboxAuth, SmtpSecurity, Transport
from sequencer.platform import clock
from sequencer.platform.security import SecretBox
from tests.support.dovecot import DOVECOT, USERNAME, DovecotServer, start_dovecot
from tests.support.oauth_provider import CLIENT_ID, CLIENT_SECRET, OAuthProvider
from tests.support.xoauth2_sink import XOAuth2Sink

SECRETS = SecretBox("test-secret-key-not-for-production")  # the test app's SECRET_KEY


@pytest.fixture(scope="session")
def session_provider() -> Iterator[OAuthProvider]:
    with OAuthProvider() as provider:
        yield provider


@pytest.fixture
def provider(session_provider: OAuthProvider) -> OAuthProvider:
    """The run's provider with nothing granted yet."""
    session_provider.reset()
    return session_provider


@pytest.fixture(scope="session")
def oauth_dovecot(tmp_path_factory: pytest.TempPathFactory, session_provider) -> Iterator[DovecotServer]:
    """Dovecot whose oauth2 passdb asks the local provider's introspection endpoint about each XOAUTH2 token."""
    if not os.access(DOVECOT, os.X_OK):
        pytest.skip("Dovecot is not installed (apt-get install dovecot-imapd); .ci/run installs it")
    server = start_dovecot(tmp_path_factory.mktemp("dovecot-oauth"), session_provider.url + "/introspect")
    yield server
    server.stop()


@pytest.fixture
def xoauth2_sink(provider) -> Iterator[XOAuth2Sink]:
    with XOAuth2Sink(provider.url) as sink:
        yield sink


@pytest.fixture
def google_app(session, provider):
    """The admin's Google OAuth client, its endpoints pointed at the local provider."""
    app = apps.save_app(session, GOOGLE, {"client_id": CLIENT_ID, "client_secret": CLIENT_SECRET,
                                          "authorize_url": provider.url + "/authorize",
                                          "token_url": provider.url + "/token"}, SECRETS, clock.now())
    session.commit()
    return app


@pytest.fixture
def oauth_mailbox(factory, session, provider, google_app, xoauth2_sink):
    """A connected Google mailbox (owned by a rep) that sends to the XOAUTH2 sink."""
    rep = factory.user("rep", name="Rita Rep")
    mailbox = factory.mailbox(email=USERNAME, name="Rita Rep", owner_id=rep.id, transport=Transport.SMTP,
                              auth=MailboxAuth.OAUTH_GOOGLE, smtp_host="127.0.0.1", smtp_port=xoauth2_sink.port,
                              smtp_username=USERNAME, smtp_security=SmtpSecurity.NONE, min_interval_seconds=0,
                              daily_limit=500)
    store_grant(mailbox, provider.grant_directly(USERNAME), SECRETS, clock.now())
    session.commit()
    return mailbox
