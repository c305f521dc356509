"""The grant against a real (local) provider: reused, refreshed before expiry, encrypted, and revoked → reconnect."""
from __future__ import annotations

from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import select

from sequencer.mailauth import apps, flow
from sequencer.mailauth.providers import GOOGLE, MICROSOFT
from sequencer.mailauth.tokens import ClientMissing, ReconnectNeeded, TokenUnavailable, access_token
from sequencer.models import Task, TaskStatus
from sequencer.platform import clock
from tests.mailauth.conftest import SECRETS
from tests.support.oauth_provider import CLIENT_ID
from tests.support.smtp_sink import free_port


def test_access_token_is_reused_until_close_to_expiry_then_refreshed(session, provider, oauth_mailbox):
    first = access_token(oauth_mailbox, SECRETS)
    assert access_token(oauth_mailbox, SECRETS) == first and provider.state.counts["refresh_token"] == 0
    assert provider.active(first)
    expires = oauth_mailbox.oauth_expires_at
    with clock.frozen(expires - timedelta(minutes=4)):  # inside the 5-minute margin: refreshed before expiry
        second = access_token(oauth_mailbox, SECRETS)
    assert second != first and provider.active(second) and provider.state.counts["refresh_token"] == 1
    assert oauth_mailbox.oauth_expires_at > expires
    # encrypted at rest: neither token appears in the stored columns
    assert second not in oauth_mailbox.oauth_access_encrypted
    refresh = next(iter(provider.state.grants))
    assert refresh not in oauth_mailbox.oauth_refresh_encrypted
    assert SECRETS.decrypt(oauth_mailbox.oauth_refresh_encrypted) == refresh


def test_revoked_refresh_token_marks_reconnect_needed_with_a_task_for_the_owner(session, provider, oauth_mailbox):
    provider.revoke_all()
    with pytest.raises(ReconnectNeeded, match="invalid_grant"):
        access_token(oauth_mailbox, SECRETS, force=True)
    session.commit()
    assert "refused the refresh token" in oauth_mailbox.oauth_reconnect_reason
    assert oauth_mailbox.oauth_access_encrypted is None
    (task,) = session.scalars(select(Task).where(Task.owner_id == oauth_mailbox.owner_id)).all()
    assert task.status == TaskStatus.OPEN and oauth_mailbox.email in task.title
    # marked once: asking again neither calls the provider nor adds a task
    with pytest.raises(ReconnectNeeded):
        access_token(oauth_mailbox, SECRETS)
    session.commit()
    assert session.scalars(select(Task)).all() == [task]


def test_provider_down_is_a_temporary_failure_not_a_reconnect(session, provider, oauth_mailbox):
    apps.save_app(session, GOOGLE, {"client_id": "x", "token_url": f"http://127.0.0.1:{free_port()}/token"},
                  SECRETS, clock.now())
    with pytest.raises(TokenUnavailable):
        access_token(oauth_mailbox, SECRETS, force=True)
    assert oauth_mailbox.oauth_reconnect_reason is None


def test_client_settings_keep_the_secret_encrypted_and_out_of_the_view(session, google_app):
    view = apps.serialize_app(google_app)
    assert view["client_secret_set"] is True and "client_secret" not in view
    assert "sequencer-test-secret" not in google_app.client_secret_encrypted
    with pytest.raises(Exception, match="token_url"):
        apps.save_app(session, GOOGLE, {"client_id": "x", "token_url": "javascript:alert(1)"}, SECRETS, clock.now())


def test_microsoft_uses_the_tenant_and_asks_for_smtp_imap_and_offline_access(session):
    apps.save_app(session, MICROSOFT, {"client_id": "ms-client", "client_secret": "ms-secret",
                                       "tenant": "contoso.onmicrosoft.com"}, SECRETS, clock.now())
    client = apps.client(session, MICROSOFT, SECRETS)
    assert client.authorize_url == "https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/authorize"
    assert client.token_url == "https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/token"
    consent = flow.consent(client, "https://seq.example.com/cb", "signed-state", "rep@contoso.com")
    query = parse_qs(urlsplit(consent.url).query)
    assert query["scope"] == ["https://outlook.office.com/SMTP.Send https://outlook.office.com/IMAP.AccessAsUser.All "
                              "offline_access"]
    assert query["state"] == ["signed-state"] and query["code_challenge_method"] == ["S256"]
    assert consent.verifier not in consent.url
    with pytest.raises(Exception, match="tenant"):
        apps.save_app(session, MICROSOFT, {"client_id": "x", "tenant": "../evil"}, SECRETS, clock.now())


def test_a_refused_client_secret_is_the_admins_to_fix_not_a_reconnect(session, provider, oauth_mailbox):
    apps.save_app(session, GOOGLE, {"client_id": CLIENT_ID, "client_secret": "expired-secret",
                                    "token_url": provider.url + "/token"}, SECRETS, clock.now())
    with pytest.raises(ClientMissing, match="invalid_client"):
        access_token(oauth_mailbox, SECRETS, force=True)
    assert oauth_mailbox.oauth_reconnect_reason is None and session.scalars(select(Task)).all() == []
