"""The demo rep works the queue in Chromium: a call completed from the keyboard only, then a manual email
edited and sent through the pipeline to a real SMTP server."""
from __future__ import annotations

from playwright.sync_api import expect
from sqlalchemy import select

from sequencer.demo import DEMO_PASSWORD
from sequencer.extensions import db
from sequencer.models import Enrollment, StepRun, StepRunState, Task, TaskStatus
from sequencer.models.mail import SmtpSecurity, Transport
from sequencer.models.tasks import TaskType
from tests.browser.conftest import sign_in
from tests.support.smtp_sink import Sink


def _select_row_with(page, text: str) -> str:
    """Press j from the top until the selected row mentions `text`; returns its task id."""
    for _ in range(page.locator(".task-row").count()):
        row = page.locator(".task-row.selected")
        if text in row.inner_text():
            task_id = row.get_attribute("data-id")
            expect(page.locator("#panel .panel-inner")).to_have_attribute("data-task", task_id)
            return task_id
        page.keyboard.press("j")
    raise AssertionError(f"no row with {text!r} in today's queue")


def test_rep_completes_a_call_by_keyboard_and_sends_a_manual_email(page, live_server, demo):
    sign_in(page, live_server, "rep@example.com", DEMO_PASSWORD)
    page.goto(f"{live_server}/tasks")
    assert page.locator(".seg-tab.active").inner_text().startswith("Today")
    assert page.locator(".task-row").count() > 3
    hints = page.locator(".kbd-hint").inner_text()
    assert all(word in hints for word in ("move", "complete", "skip", "snooze", "note"))
    page.evaluate("window.__sameDocument = true")

    call_id = _select_row_with(page, "Call ")
    task = db.session.get(Task, int(call_id))
    run_id, enrollment_id = task.step_run_id, task.enrollment_id
    page.keyboard.press("c")
    expect(page.locator("#form-complete")).to_be_visible()
    page.keyboard.press("2")  # connected
    expect(page.locator("#form-complete input[value=connected]")).to_be_checked()
    page.keyboard.press("Enter")
    expect(page.locator(f'.task-row[data-id="{call_id}"]')).to_have_count(0)
    expect(page.locator(".toast")).to_contain_text("connected")
    assert page.evaluate("window.__sameDocument") is True  # no page reload

    db.session.expire_all()
    assert db.session.get(Task, int(call_id)).outcome == "connected"
    run = db.session.get(StepRun, run_id)
    assert run.state == StepRunState.DONE
    enrollment = db.session.get(Enrollment, enrollment_id)
    following = db.session.scalars(select(StepRun).where(StepRun.enrollment_id == enrollment_id,
                                                         StepRun.position == run.position + 1)).first()
    assert following is not None and following.state == StepRunState.SCHEDULED and following.due_at > run.done_at \
        or enrollment.status.value == "finished"

    with Sink() as sink:
        page.goto(f"{live_server}/tasks")
        email_id = _select_row_with(page, "Personal email")
        email_task = db.session.get(Task, int(email_id))
        mailbox = db.session.get(Enrollment, email_task.enrollment_id).mailbox
        mailbox.transport, mailbox.smtp_host, mailbox.smtp_port = Transport.SMTP, "127.0.0.1", sink.port
        mailbox.smtp_security, mailbox.min_interval_seconds = SmtpSecurity.NONE, 0
        db.session.commit()
        page.keyboard.press("c")  # a manual email opens the editor
        page.wait_for_url(f"**/tasks/{email_id}/email")
        assert page.locator("input[name=subject]").input_value()
        body = page.locator("textarea[name=body]")
        assert len(body.input_value()) > 40  # the rendered step
        body.fill("Sveiki,\n\nI rewrote this by hand after our call. Thursday at 10:00?\n\nRūta")
        body.press("Control+Enter")
        page.wait_for_url(f"{live_server}/tasks")
        expect(page.locator(".flash-success")).to_contain_text("Sent to")
        assert len(sink.handler.messages) == 1
        [message] = sink.handler.parsed()
        assert "Thursday at 10:00?" in message.get_body(("plain",)).get_content()
        assert message["List-Unsubscribe"] and message["Message-ID"]

    db.session.expire_all()
    sent = db.session.get(Task, int(email_id))
    assert sent.status == TaskStatus.DONE and "Thursday at 10:00?" in sent.email_body
    assert db.session.get(StepRun, sent.step_run_id).state == StepRunState.SENT
    assert not page.console_errors and not page.server_errors


def test_fast_moves_show_the_last_selected_task(page, live_server, demo):
    sign_in(page, live_server, "rep@example.com", DEMO_PASSWORD)
    page.goto(f"{live_server}/tasks")
    for _ in range(3):
        page.keyboard.press("j")  # faster than the panel answers
    selected = page.locator(".task-row.selected").get_attribute("data-id")
    expect(page.locator("#panel .panel-inner")).to_have_attribute("data-task", selected)
    page.keyboard.press("k")
    selected = page.locator(".task-row.selected").get_attribute("data-id")
    expect(page.locator("#panel .panel-inner")).to_have_attribute("data-task", selected)
    assert not page.console_errors


def _first_non_email_row_after_the_top(page) -> int:
    """The index of the first row below the top one whose task is not a manual email (which would open the editor).

    The top row's panel comes with the page; only a row below it gets its panel swapped in by htmx. Which types
    land where in today's demo queue depends on the date, so the row is chosen by type, not by position."""
    ids = page.locator(".task-row").evaluate_all("rows => rows.map(r => r.dataset.id)")
    for index, task_id in enumerate(ids[1:], start=1):
        if db.session.get(Task, int(task_id)).type != TaskType.MANUAL_EMAIL:
            return index
    raise AssertionError(f"no task other than a manual email below the top of today's queue: {ids}")


def test_a_panel_just_swapped_in_submits_through_htmx_before_it_settles(page, live_server, demo):
    """A fast rep (or a busy browser) presses Enter before htmx has settled the panel: no full page post."""
    sign_in(page, live_server, "rep@example.com", DEMO_PASSWORD)
    page.goto(f"{live_server}/tasks")
    index = _first_non_email_row_after_the_top(page)
    for _ in range(index - 1):  # up to the row above it, its panel loaded and settled at the normal pace
        page.keyboard.press("j")
    above = page.locator(".task-row").nth(index - 1).get_attribute("data-id")
    expect(page.locator("#panel .panel-inner")).to_have_attribute("data-task", above)
    page.evaluate("window.__sameDocument = true; htmx.config.defaultSettleDelay = 5000")
    page.keyboard.press("j")
    selected = page.locator(".task-row.selected").get_attribute("data-id")
    assert selected == page.locator(".task-row").nth(index).get_attribute("data-id")
    expect(page.locator("#panel .panel-inner")).to_have_attribute("data-task", selected)
    assert page.locator("#panel .panel-inner").get_attribute("data-editor") is None  # not a manual email
    page.keyboard.press("c")
    page.keyboard.press("Enter")
    expect(page.locator(f'.task-row[data-id="{selected}"]')).to_have_count(0)
    expect(page.locator(".toast")).to_be_visible()
    assert page.evaluate("window.__sameDocument") is True
    assert not page.console_errors and not page.server_errors
