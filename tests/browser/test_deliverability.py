"""The Deliverability page in Chromium: columns sort on click (both ways), the admin resumes a paused mailbox
in one click; screenshots at 1280 and 390 px wide go to SCREENSHOT_DIR when it is set."""
from __future__ import annotations

import os
from datetime import date

import pytest

from sequencer.models import DomainCheck, Event
from sequencer.models.mail import MailboxStatus, Transport
from sequencer.platform import clock
from tests.browser.conftest import sign_in, wait_until


@pytest.fixture
def mailboxes(factory, session):
    now = clock.now()
    rep = factory.user("rep", name="Ona Petraitė")
    rows = [("ona@acme.example", 40, 0), ("max@acme.example", 120, 9), ("lea@globex.example", 80, 1)]
    made = []
    for email, sent, bounces in rows:
        box = factory.mailbox(email=email, owner_id=rep.id, transport=Transport.SMTP, smtp_host="smtp.gmail.com",
                              daily_limit=60, warmup_started_on=date.today() if email.startswith("ona") else None)
        session.flush()
        session.add_all([Event(kind="sent", occurred_at=now, mailbox_id=box.id) for _ in range(sent)]
                        + [Event(kind="bounced", occurred_at=now, mailbox_id=box.id) for _ in range(bounces)])
        made.append(box)
    made[1].status, made[1].paused_reason = MailboxStatus.PAUSED, \
        "hard-bounce rate 7.5% over the last 120 sends (9 of them; the limit is 5.0%): verify the list, then resume"
    session.add_all([
        DomainCheck(kind="sending", domain="acme.example", passed=True, problems=[], records={}, checked_at=now),
        DomainCheck(kind="sending", domain="globex.example", passed=False, checked_at=now, records={},
                    problems=["no DMARC record: Gmail and Yahoo will reject bulk mail from globex.example",
                              "no DKIM key at google._domainkey.globex.example: Gmail and Yahoo will reject bulk "
                              "mail from globex.example that is not DKIM-signed"])])
    session.commit()
    return made


def _emails(page) -> list[str]:
    return page.eval_on_selector_all("#deliverability-table tbody td:first-child a", "els => els.map(e => e.textContent)")


def test_sort_resume_and_screenshots(live_server, page, factory, session, mailboxes):
    admin = factory.user("admin")
    session.commit()
    sign_in(page, live_server, admin.email)
    page.goto(f"{live_server}/deliverability")
    assert _emails(page) == ["lea@globex.example", "max@acme.example", "ona@acme.example"]
    page.click("th button.sort:has-text('Sent 7d')")
    wait_until(page, "document.querySelector('th button[aria-sort]') !== null")
    assert _emails(page) == ["ona@acme.example", "lea@globex.example", "max@acme.example"]
    page.click("th button.sort:has-text('Sent 7d')")
    assert _emails(page) == ["max@acme.example", "lea@globex.example", "ona@acme.example"]
    shots = os.environ.get("SCREENSHOT_DIR")
    if shots:
        for width in (1280, 390):
            page.set_viewport_size({"width": width, "height": 900})
            page.screenshot(path=f"{shots}/deliverability-{width}.png", full_page=True)
        page.set_viewport_size({"width": 1280, "height": 900})
        page.goto(f"{live_server}/deliverability?mailbox={mailboxes[2].id}#detail")
        page.screenshot(path=f"{shots}/deliverability-detail-1280.png", full_page=True)
        page.goto(f"{live_server}/deliverability")
    page.click(f"#dl-{mailboxes[1].id} button:has-text('Resume')")
    page.wait_for_load_state("networkidle")
    assert "max@acme.example is sending again." in page.content()
    assert page.console_errors == [] and page.server_errors == []
