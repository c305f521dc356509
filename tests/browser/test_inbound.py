"""In a real browser: the Inbound list, filtered to replies, one message, Reprocess; then the mailbox's IMAP check.

Set SHOTS_DIR=/some/dir to keep screenshots (1366×800) of each screen.
"""
from __future__ import annotations

import os
import socket
from datetime import timedelta
from pathlib import Path

import pytest

from sequencer.inbound.service import ingest
from sequencer.models.mail import SmtpSecurity
from tests.browser.conftest import sign_in
from tests.inbound.conftest import corpus_world, now  # noqa: F401  (fixtures)

SHOTS = os.environ.get("SHOTS_DIR")
CORPUS = Path(__file__).parents[1] / "inbound" / "corpus"
MESSAGES = ("reply_gmail_quoted.eml", "auto_german_ab_dem.eml", "reply_lithuanian_utf8.eml", "bounce_postfix_511.eml",
            "unsub_remove_me.eml", "reply_apple_mail_referral.eml", "unmatched_newsletter.eml",
            "malformed_binary_garbage.eml", "auto_outlook_back_on.eml", "reply_hostile_html.eml")


def _shot(page, name: str) -> None:
    if SHOTS:
        os.makedirs(SHOTS, exist_ok=True)
        page.screenshot(path=os.path.join(SHOTS, f"{name}.png"), full_page=False)


@pytest.fixture
def inbox(session, factory, corpus_world, now):  # noqa: F811
    """A realistic mix from the corpus, a minute apart, and an admin to look at it."""
    factory.user("admin", name="Rūta Petrauskienė", email="ruta@example.com")
    for minute, name in enumerate(MESSAGES):
        ingest(session, (CORPUS / name).read_bytes(), source="imap", now=now - timedelta(minutes=60 - minute),
               mailbox_id=corpus_world["mailbox"].id, folder="INBOX")
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        closed = s.getsockname()[1]
    mailbox = corpus_world["mailbox"]
    mailbox.imap_host, mailbox.imap_port, mailbox.imap_security = "127.0.0.1", closed, SmtpSecurity.NONE
    mailbox.imap_checked_at = now - timedelta(minutes=2)
    factory.mailbox(email="tomas@sequencer.test", name="Tomas", imap_host="imap.sequencer.test", imap_failures=4,
                    imap_checked_at=now, imap_error="LOGIN failed: [AUTHENTICATIONFAILED] Invalid credentials")
    session.commit()
    return corpus_world


def test_inbound_filter_open_and_reprocess(page, live_server, inbox):
    page.set_viewport_size({"width": 1366, "height": 800})
    sign_in(page, live_server, "ruta@example.com")
    page.click(".nav a[href='/inbound']")
    page.wait_for_load_state("networkidle")
    assert page.locator("#nav-inbound").inner_text() == "1"  # the binary garbage is unparsed
    _shot(page, "inbound_list")

    page.locator("nav[aria-label=Type] a[href$='classification=reply']").click()
    page.wait_for_load_state("networkidle")
    assert "classification=reply" in page.url
    kinds = page.locator(".inbound-table tbody .kind-cell .pill").all_inner_texts()
    assert kinds and set(kinds) == {"Reply"}

    page.locator(".inbound-table tbody .message-cell a").first.click()
    page.wait_for_load_state("networkidle")
    assert "/inbound/" in page.url and page.locator("pre.inbound-text").inner_text().strip()
    _shot(page, "inbound_detail")

    page.once("dialog", lambda dialog: dialog.accept())  # a processed reply asks first: effects apply again
    page.get_by_role("button", name="Reprocess").click()
    page.locator(".flash-success").wait_for()
    assert "Reprocessed: classified as reply" in page.locator(".flash-success").inner_text()

    page.goto(f"{live_server}/settings/mailboxes/{inbox['mailbox'].id}")
    page.get_by_role("button", name="Check IMAP").click()
    page.locator("#imap-result .result-fail").wait_for()
    _shot(page, "mailbox_edit_imap")
    page.goto(f"{live_server}/settings/mailboxes")
    _shot(page, "mailboxes")

    assert page.console_errors == [] and page.server_errors == []
