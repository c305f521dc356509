"""The connect flow through the web doors (Flask client + the local provider over HTTP): PKCE, presets,
the state's binding (forged, replayed or another session's state is refused), roles, and the API view."""
from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from sqlalchemy import select

from sequencer.models import Mailbox, OAuthApp
from sequencer.models.mail import MailboxAuth
from tests.conftest import login
from tests.mailauth.conftest import SECRETS
from tests.support.oauth_provider import CLIENT_ID

CALLBACK = "/settings/mailboxes/oauth/callback"


@pytest.fixture
def admin(factory, session):
    user = factory.user("admin", email="ada.admin@example.com")
    session.commit()
    return user


def _start(client, email="new.rep@acme-demo.com", owner_id=""):
    reply = client.post("/settings/mailboxes/oauth/google/connect", data={"email": email, "name": "New Rep",
                                                                       "owner_id": owner_id})
    assert reply.status_code == 302, reply.get_data(as_text=True)[:500]
    return reply.headers["Location"]


def _consent(consent_url: str) -> dict:
    """What the browser does on the provider's page: press Allow; returns the callback's query."""
    query = {k: v[0] for k, v in parse_qs(urlsplit(consent_url).query).items()}
    answer = requests.post(consent_url.split("?")[0], data={**query, "decision": "allow"}, allow_redirects=False,
                           timeout=10)
    assert answer.status_code == 302
    return {k: v[0] for k, v in parse_qs(urlsplit(answer.headers["Location"]).query).items()}


def _mailbox(session, email="new.rep@acme-demo.com"):
    session.expire_all()
    return session.scalars(select(Mailbox).where(Mailbox.email == email)).first()


def test_connect_google_asks_for_mail_scopes_with_pkce_and_stores_the_grant(client, session, admin, provider,
                                                                             google_app):
    login(client, admin.email)
    consent_url = _start(client, owner_id=str(admin.id))
    query = parse_qs(urlsplit(consent_url).query)
    assert consent_url.startswith(provider.url + "/authorize?")
    assert query["client_id"] == [CLIENT_ID] and query["scope"] == ["https://mail.google.com/"]
    assert query["code_challenge_method"] == ["S256"] and len(query["code_challenge"][0]) == 43
    assert query["access_type"] == ["offline"] and query["login_hint"] == ["new.rep@acme-demo.com"]
    assert query["redirect_uri"] == ["http://sequencer.test" + CALLBACK]
    back = client.get(CALLBACK, query_string=_consent(consent_url))
    assert back.status_code == 303 and back.headers["Location"].endswith("/settings/mailboxes")
    mailbox = _mailbox(session)
    assert mailbox.auth == MailboxAuth.OAUTH_GOOGLE and mailbox.owner_id == admin.id
    assert (mailbox.smtp_host, mailbox.smtp_port, mailbox.imap_host, mailbox.imap_port) == (
        "smtp.gmail.com", 587, "imap.gmail.com", 993)
    assert SECRETS.decrypt(mailbox.oauth_refresh_encrypted) in provider.state.grants
    assert provider.state.counts["authorization_code"] == 1
    page = client.get("/settings/mailboxes").get_data(as_text=True)
    assert "is connected with Google" in page and "Google OAuth" in page


def test_replayed_forged_or_foreign_state_is_refused(app, client, session, admin, provider, google_app):
    login(client, admin.email)
    callback = _consent(_start(client))
    with client.session_transaction() as flask_session:
        saved = dict(flask_session["mailbox_oauth"])
    forged = client.get(CALLBACK, query_string={**callback, "state": callback["state"][:-3] + "abc"})
    assert forged.status_code == 303 and _mailbox(session) is None
    with client.session_transaction() as flask_session:
        flask_session["mailbox_oauth"] = saved
    other = app.test_client()  # another admin's session presenting this state
    login(other, admin.email)
    assert other.get(CALLBACK, query_string=callback).status_code == 303 and _mailbox(session) is None
    assert client.get(CALLBACK, query_string=callback).status_code == 303 and _mailbox(session) is not None
    with client.session_transaction() as flask_session:  # replay: the same state in the same session again
        flask_session["mailbox_oauth"] = saved
    replay = client.get(CALLBACK, query_string=callback, follow_redirects=True)
    assert "already used" in replay.get_data(as_text=True)
    assert provider.state.counts["authorization_code"] == 1


def test_a_wrong_pkce_verifier_is_refused_by_the_provider(client, session, admin, provider, google_app):
    login(client, admin.email)
    callback = _consent(_start(client))
    with client.session_transaction() as flask_session:
        flask_session["mailbox_oauth"] = {**flask_session["mailbox_oauth"], "verifier": "x" * 64}
    page = client.get(CALLBACK, query_string=callback, follow_redirects=True).get_data(as_text=True)
    assert "refused the sign-in: invalid_grant" in page and _mailbox(session) is None


def test_reps_cannot_connect_but_may_reconnect_their_own_mailbox(client, session, factory, oauth_mailbox, provider):
    other = factory.mailbox(email="someone@acme-demo.com", auth=MailboxAuth.OAUTH_GOOGLE)
    session.commit()
    login(client, oauth_mailbox.owner.email)
    assert client.post("/settings/mailboxes/oauth/google/connect", data={"email": "x@acme-demo.com"}).status_code == 403
    assert client.get(f"/mailboxes/{other.id}/reconnect").status_code == 403
    assert "Sign in with Google again" in client.get(f"/mailboxes/{oauth_mailbox.id}/reconnect").get_data(as_text=True)
    consent = client.post(f"/mailboxes/{oauth_mailbox.id}/reconnect")
    assert consent.status_code == 302 and consent.headers["Location"].startswith(provider.url)
    assert client.get(CALLBACK, query_string=_consent(consent.headers["Location"])).headers["Location"].endswith("/tasks")
    assert provider.state.counts["authorization_code"] == 1


def test_connect_without_a_configured_client_or_with_a_taken_address_says_why(client, session, admin, factory):
    factory.mailbox(email="taken@acme-demo.com")
    session.commit()
    login(client, admin.email)
    page = client.post("/settings/mailboxes/oauth/google/connect", data={"email": "new@acme-demo.com"})
    assert page.status_code == 409 and "Google is not set up" in page.get_data(as_text=True)
    page = client.post("/settings/mailboxes/oauth/microsoft/connect", data={"email": "taken@acme-demo.com"})
    assert page.status_code == 409 and "use its Reconnect button" in page.get_data(as_text=True)
    assert client.post("/settings/mailboxes/oauth/yahoo/connect", data={"email": "a@b.test"}).status_code == 404


def test_api_shows_auth_and_never_tokens(api, session, oauth_mailbox):
    caller = api("admin")
    (row,) = [m for m in caller.get("/api/v1/mailboxes").get_json() if m["id"] == oauth_mailbox.id]
    assert row["auth"] == "oauth_google" and row["reconnect_needed"] is False
    assert not [key for key in row if "token" in key or "oauth" in key or "secret" in key]
    refused = caller.post("/api/v1/mailboxes", json={"email": "x@acme-demo.com", "auth": "oauth_google"})
    assert refused.status_code == 422 and refused.get_json()["error"]["details"][0]["field"] == "auth"
    made = caller.post("/api/v1/mailboxes", json={"email": "y@acme-demo.com", "auth": "password"})
    assert made.status_code == 201 and made.get_json()["auth"] == "password"


def test_admin_saves_the_microsoft_client_and_the_page_never_shows_its_secret(client, session, admin, factory):
    login(client, admin.email)
    saved = client.post("/settings/mailboxes/oauth/microsoft/app", data={
        "client_id": "11111111-2222-3333-4444-555555555555", "client_secret": "very-secret-value",
        "tenant": "contoso.onmicrosoft.com"}, follow_redirects=True)
    page = saved.get_data(as_text=True)
    assert "Microsoft OAuth client saved." in page and "very-secret-value" not in page
    assert "11111111-2222-3333-4444-555555555555" in page and "Connect Microsoft</button>" in page
    kept = client.post("/settings/mailboxes/oauth/microsoft/app", data={
        "client_id": "11111111-2222-3333-4444-555555555555", "client_secret": "", "tenant": "bad tenant!"},
        follow_redirects=True).get_data(as_text=True)
    assert "Microsoft OAuth client not saved: tenant" in kept
    session.expire_all()
    app_row = session.get(OAuthApp, "microsoft")
    assert app_row.tenant == "contoso.onmicrosoft.com" and SECRETS.decrypt(app_row.client_secret_encrypted) == \
        "very-secret-value"
    rep = factory.user("rep")
    session.commit()
    client.post("/logout")
    login(client, rep.email)
    assert client.post("/settings/mailboxes/oauth/microsoft/app", data={"client_id": "x"}).status_code == 403


def test_the_settings_test_email_goes_through_xoauth2_and_keeps_a_revocation(client, session, admin, provider,
                                                                          oauth_mailbox, xoauth2_sink):
    login(client, admin.email)
    sent = client.post(f"/settings/mailboxes/{oauth_mailbox.id}/test", data={"to": "ada@example.com"},
                       headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "accepted by 127.0.0.1" in sent and xoauth2_sink.handler.logins == [oauth_mailbox.email]
    provider.revoke_all()
    provider.expire_access_tokens()
    refused = client.post(f"/settings/mailboxes/{oauth_mailbox.id}/test", data={"to": "ada@example.com"},
                          headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "reconnect needed" in refused
    session.expire_all()
    assert oauth_mailbox.oauth_reconnect_reason  # kept: the owner has their task, the next send pauses it
    assert "needs to be reconnected" in client.get("/settings/mailboxes").get_data(as_text=True)
