"""In a real browser: connect a Google mailbox through the local provider's consent page, then, after the grant
is revoked, follow the "reconnect needed" banner back through the consent page.

Set SHOTS_DIR=/some/dir to keep screenshots (1280 and 390 px wide).
"""
from __future__ import annotations

import os
import threading
from collections.abc import Iterator

import pytest
from sqlalchemy import select
from werkzeug.serving import make_server

from sequencer.app import create_app
from sequencer.mailauth import apps
from sequencer.mailauth.providers import GOOGLE
from sequencer.mailauth.tokens import ReconnectNeeded, access_token
from sequencer.models import Mailbox
from sequencer.models.mail import MailboxAuth, MailboxStatus
from sequencer.platform import clock
from sequencer.platform.security import SecretBox
from tests.browser.conftest import sign_in
from tests.support.oauth_provider import CLIENT_ID, CLIENT_SECRET, OAuthProvider
from tests.support.smtp_sink import free_port

SHOTS = os.environ.get("SHOTS_DIR")


def _shot(page, name: str) -> None:
    if SHOTS:
        os.makedirs(SHOTS, exist_ok=True)
        for width in (1280, 390):
            page.set_viewport_size({"width": width, "height": 900})
            page.screenshot(path=os.path.join(SHOTS, f"{name}-{width}.png"), full_page=True)
        page.set_viewport_size({"width": 1440, "height": 900})


@pytest.fixture
def provider() -> Iterator[OAuthProvider]:
    with OAuthProvider() as running:
        yield running


@pytest.fixture
def own_url_server(app_config: dict, app) -> Iterator[str]:
    """A live server (CSRF on) whose BASE_URL is its own address, so the provider can send the browser back."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = make_server("127.0.0.1", port, create_app({**app_config, "WTF_CSRF_ENABLED": True, "TESTING": False,
                                                       "BASE_URL": base}), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield base
    server.shutdown()
    thread.join(timeout=5)


def test_connect_google_through_the_consent_page_then_reconnect_from_the_banner(
        page, own_url_server, provider, factory, session, app_config):
    admin = factory.user("admin", name="Ada Admin", email="ada@example.com")
    apps.save_app(session, GOOGLE, {"client_id": CLIENT_ID, "client_secret": CLIENT_SECRET,
                                    "authorize_url": provider.url + "/authorize", "token_url": provider.url + "/token"},
                  SecretBox(app_config["SECRET_KEY"]), clock.now())
    session.commit()
    sign_in(page, own_url_server, admin.email)
    page.goto(f"{own_url_server}/settings/mailboxes")
    page.click(".oauth-clients > summary")
    _shot(page, "oauth-settings-mailboxes")
    form = page.locator("form.oauth-provider[data-provider=google]")
    form.locator("input[name=email]").fill("ada.sales@acme-demo.com")
    form.locator("input[name=name]").fill("Ada from Acme")
    form.locator("button[type=submit]").click()
    page.wait_for_url(f"{provider.url}/authorize?*")
    assert "Sign in as ada.sales@acme-demo.com" in page.content() and "https://mail.google.com/" in page.content()
    page.click("button[value=allow]")
    page.wait_for_url(f"{own_url_server}/settings/mailboxes")
    assert "ada.sales@acme-demo.com is connected with Google" in page.content()
    assert page.locator("td", has_text="Google OAuth").count() == 1
    session.expire_all()
    mailbox = session.scalars(select(Mailbox).where(Mailbox.email == "ada.sales@acme-demo.com")).one()
    assert mailbox.auth == MailboxAuth.OAUTH_GOOGLE and mailbox.oauth_refresh_encrypted
    assert page.console_errors == [] and page.server_errors == []

    provider.revoke_all()  # the user removed Sequencer's access in their Google account
    with pytest.raises(ReconnectNeeded):
        access_token(mailbox, SecretBox(app_config["SECRET_KEY"]), force=True)
    mailbox.status, mailbox.paused_reason = MailboxStatus.PAUSED, f"reconnect needed: {mailbox.oauth_reconnect_reason}"
    session.commit()
    page.goto(f"{own_url_server}/settings/mailboxes")
    banner = page.locator(".oauth-reconnect")
    assert "needs to be reconnected" in banner.inner_text()
    _shot(page, "oauth-reconnect-banner")
    banner.locator("a", has_text="Reconnect").click()
    _shot(page, "oauth-reconnect-page")
    page.click("button:has-text('Sign in with Google again')")
    page.wait_for_url(f"{provider.url}/authorize?*")
    page.click("button[value=allow]")
    page.wait_for_url(f"{own_url_server}/settings/mailboxes")
    assert page.locator(".oauth-reconnect").count() == 0
    session.expire_all()
    assert mailbox.status == MailboxStatus.ACTIVE and mailbox.oauth_reconnect_reason is None
    assert provider.state.counts["authorization_code"] == 2
