"""In a real browser at desktop and phone widths: a sender-side bounce, a complaint and a hard bounce on their
pages, the prospect timeline, and the mailbox's deliverability; no console or server errors.

Set SHOTS_DIR=/some/dir to keep screenshots of each screen at 1280 and 390 px.
"""
from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

from sequencer.inbound.service import ingest
from sequencer.models import InboundMessage
from tests.browser.conftest import sign_in
from tests.inbound.conftest import corpus_world, now  # noqa: F401  (fixtures)

SHOTS = os.environ.get("SHOTS_DIR")
CORPUS = Path(__file__).parents[1] / "inbound" / "corpus"
DANA = "dana.kowalski@acme-corp.test"
RETURNED = (f"From: Rita Rep <rita@sequencer.test>\nTo: Dana Kowalski <{DANA}>\nSubject: Quick question about Acme's "
            "month-end close\nMessage-ID: <sr101.corpus@sequencer.test>\n")


def _dmarc(n: int) -> bytes:
    return ("From: Mail Delivery Subsystem <mailer-daemon@googlemail.com>\nTo: rita@sequencer.test\nSubject: Delivery "
            f"Status Notification (Failure)\nMessage-ID: <dmarc.{n}@google.test>\nMIME-Version: 1.0\nContent-Type: "
            "multipart/report; report-type=delivery-status; boundary=B\n\n--B\nContent-Type: text/plain\n\n"
            f"Your message to {DANA} has been blocked.\n--B\nContent-Type: message/delivery-status\n\n"
            f"Reporting-MTA: dns; googlemail.com\n\nFinal-Recipient: rfc822; {DANA}\nAction: failed\nStatus: 5.7.26\n"
            "Diagnostic-Code: smtp; 550-5.7.26 Unauthenticated email from sequencer.test is not accepted due to "
            f"domain's DMARC policy - gsmtp\n\n--B\nContent-Type: text/rfc822-headers\n\n{RETURNED}\n--B--\n").encode()


def _shot(page, name: str) -> None:
    if SHOTS:
        os.makedirs(SHOTS, exist_ok=True)
        page.screenshot(path=os.path.join(SHOTS, f"{name}.png"), full_page=True)


def test_bounce_screens(page, live_server, session, factory, corpus_world, now):  # noqa: F811
    factory.user("admin", name="Rūta Petrauskienė", email="ruta@example.com")
    ids = {}
    for n in range(5):
        ids["sender"] = ingest(session, _dmarc(n), source="imap", now=now - timedelta(hours=30, minutes=n),
                               mailbox_id=corpus_world["mailbox"].id).id
    ids["hard"] = ingest(session, (CORPUS / "bounce_postfix_511.eml").read_bytes(), source="imap", now=now).id
    session.commit()
    assert session.get_one(InboundMessage, ids["sender"]).classification == "bounce"
    tom = corpus_world["prospects"]["tom.baker@widgetco.test"]
    mailbox = corpus_world["mailbox"]
    screens = {"sender": f"/inbound/{ids['sender']}", "hard": f"/inbound/{ids['hard']}",
               "timeline": f"/prospects/{tom.id}", "mailbox": f"/settings/mailboxes/{mailbox.id}"}
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        sign_in(page, live_server, "ruta@example.com")
        for name, path in screens.items():
            page.goto(f"{live_server}{path}")
            page.wait_for_load_state("networkidle")
            _shot(page, f"{name}-{width}")
        page.context.clear_cookies()
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, live_server, "ruta@example.com")
    page.goto(f"{live_server}{screens['sender']}")
    assert page.locator(".bounce-class-sender").first.inner_text() == "sender"
    assert "Gmail" in page.content()
    page.goto(f"{live_server}{screens['mailbox']}")
    assert "is paused" in page.content() and "DMARC failure for sequencer.test" in page.content()
    assert page.locator("#mailbox-health table tbody tr.row-flag").count() == 1
    assert page.console_errors == [] and page.server_errors == []
