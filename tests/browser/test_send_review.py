"""In a real browser: answer an uncertain and a failed send from the Outbox, resume a paused mailbox.

Set SHOTS_DIR=/some/dir to keep screenshots of each screen.
"""
from __future__ import annotations

import os
from datetime import timedelta

import pytest

from sequencer.models import StepRunState
from sequencer.models.mail import MailboxStatus
from sequencer.platform import clock
from tests.browser.conftest import sign_in

SHOTS = os.environ.get("SHOTS_DIR")


def _shot(page, name: str) -> None:
    if SHOTS:
        os.makedirs(SHOTS, exist_ok=True)
        page.screenshot(path=os.path.join(SHOTS, f"{name}.png"), full_page=True)


@pytest.fixture
def stuck(factory, session):
    now = clock.now()
    admin = factory.user("admin", name="Rūta Petrauskienė", email="ruta@example.com")
    rep = factory.user("rep", name="Tomas Kazlauskas", email="tomas@example.com")
    good = factory.mailbox(email="ruta@sales.example", name="Rūta", owner_id=admin.id)
    broken = factory.mailbox(email="tomas@sales.example", name="Tomas", owner_id=rep.id, status=MailboxStatus.PAUSED,
                             consecutive_failures=3, paused_reason="535 5.7.8 Authentication failed: bad username or password")
    seq = factory.sequence(steps=2, name="Q2 CFO outreach")
    runs = {}
    for key, first, last, email, state in (
            ("uncertain", "Jonas", "Jonaitis", "jonas@baltic-freight.example", StepRunState.UNCERTAIN),
            ("failed", "Eglė", "Jankauskė", "egle@northwind.example", StepRunState.FAILED),
            ("sent", "Lina", "Mažeikienė", "lina@kaunas-tech.example", StepRunState.SENT)):
        prospect = factory.prospect(first_name=first, last_name=last, email=email, owner_id=rep.id)
        if state == StepRunState.UNCERTAIN:
            kw = {"send_started_at": now - timedelta(minutes=47), "attempt": 1,
                  "why_waiting": ("the worker stopped after handing it to SMTP: check the recipient's copy, "
                                  "then mark sent or send again")}
        elif state == StepRunState.FAILED:
            error = "451 4.7.1 Greylisted, please try again later (smtp.northwind.example)"
            kw = {"attempt": 5, "error": error, "why_waiting": f"failed after 5 attempt(s): {error}"}
        else:
            kw = {"sent_at": now - timedelta(hours=1), "subject": "Lina, freight costs in Q2"}
        enrollment = factory.enrollment(prospect=prospect, sequence=seq, mailbox_id=good.id)
        runs[key] = factory.step_run(enrollment, variant=seq.steps[0].variants[0], mailbox_id=good.id, state=state,
                                     due_at=now - timedelta(hours=2), **kw)
    session.commit()
    return {"admin": admin, "rep": rep, "broken": broken, **runs}


def test_answer_stuck_sends_and_resume_a_mailbox(page, live_server, stuck):
    sign_in(page, live_server, "ruta@example.com")
    page.goto(f"{live_server}/outbox")
    assert page.locator(".nav a[href='/outbox'] .badge-warn").inner_text() == "2"
    _shot(page, "outbox")

    row = page.locator(f"#attention-{stuck['uncertain'].id}")
    row.get_by_role("button", name="Mark sent").click()
    page.locator(f"#attention-{stuck['uncertain'].id} .outcome-ok").wait_for()
    assert "Marked sent" in page.locator(f"#attention-{stuck['uncertain'].id}").inner_text()

    page.once("dialog", lambda dialog: dialog.accept())  # failed runs don't ask; uncertain ones would
    page.locator(f"#attention-{stuck['failed'].id}").get_by_role("button", name="Send again").click()
    page.locator(f"#attention-{stuck['failed'].id} .outcome-ok").wait_for()
    assert "Queued again" in page.locator(f"#attention-{stuck['failed'].id}").inner_text()
    _shot(page, "outbox_answered")

    page.goto(f"{live_server}/settings/mailboxes")
    callout = page.locator(f"#mailbox-{stuck['broken'].id}")
    assert "535 5.7.8 Authentication failed" in callout.inner_text()
    _shot(page, "settings_mailboxes")
    callout.get_by_role("button", name="Resume sending").click()
    page.wait_for_load_state("networkidle")
    assert "tomas@sales.example is sending again." in page.locator(".flashes").inner_text()
    assert page.locator(".paused-callout").count() == 0
    assert page.server_errors == [] and page.console_errors == []


def test_the_owner_sees_the_paused_banner(page, live_server, stuck):
    sign_in(page, live_server, "tomas@example.com")
    page.goto(f"{live_server}/tasks")
    banner = page.locator(".banner")
    assert banner.inner_text().startswith("Your mailbox tomas@sales.example is paused: 535 5.7.8 Authentication")
    assert "Ask an admin to resume it." in banner.inner_text()
    _shot(page, "banner_rep")
    page.goto(f"{live_server}/outbox")
    assert page.locator("#needs-attention").count() == 0
    assert page.server_errors == [] and page.console_errors == []
