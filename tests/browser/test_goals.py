"""Goals in Chromium on the demo workspace: the plan page, the what-if script, the KPI page, and the quarterly
review printed (print media emulation): screenshots at 1280 and 390 px and of the printed review."""
from __future__ import annotations

import os

from sequencer.demo import DEMO_PASSWORD
from tests.browser.conftest import sign_in, wait_until

SHOTS = os.environ.get("SHOTS_DIR", "/tmp/shots-goals")


def _shoot(page, name: str) -> None:
    os.makedirs(SHOTS, exist_ok=True)
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=f"{SHOTS}/{name}-{width}.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def test_the_demo_goal_plan_what_if_and_kpis(app, page, live_server, demo):
    sign_in(page, live_server, "manager@example.com", DEMO_PASSWORD)
    page.click("nav.nav a:has-text('Goals')")
    page.wait_for_load_state("networkidle")
    page.click("table a:has-text('new business')")
    page.wait_for_load_state("networkidle")
    assert page.locator("text=The plan, worked backwards").is_visible()
    before = page.inner_text('[data-plan="first_contacts"]')
    _shoot(page, "goal")
    page.fill("#wi-reply", "90")
    wait_until(page, f"document.querySelector('[data-plan=\"first_contacts\"]').textContent !== {before!r}")
    assert "Plan updated" in page.inner_text("#what-if-status")
    page.goto(f"{live_server}/kpis")
    page.wait_for_load_state("networkidle")
    assert page.locator("text=Pipeline coverage").is_visible()
    _shoot(page, "kpis")
    assert not page.console_errors and not page.server_errors


def test_the_quarterly_review_prints_cleanly(app, page, live_server, demo):
    sign_in(page, live_server, "manager@example.com", DEMO_PASSWORD)
    page.goto(f"{live_server}/goals/review")
    page.wait_for_load_state("networkidle")
    _shoot(page, "review")
    page.emulate_media(media="print")
    page.set_viewport_size({"width": 794, "height": 1123})  # A4 at 96 dpi
    hidden = page.evaluate("""() => ['.sidebar', '.btn', 'form.no-print'].every(sel =>
        [...document.querySelectorAll(sel)].every(el => getComputedStyle(el).display === 'none'))""")
    assert hidden, "the app chrome, buttons and forms are hidden on paper"
    assert page.evaluate("getComputedStyle(document.querySelector('.print-only')).display") == "block"
    assert page.locator("h2:has-text('Key deals won')").is_visible()
    os.makedirs(SHOTS, exist_ok=True)
    page.screenshot(path=f"{SHOTS}/review-print.png", full_page=True)
    assert len(page.pdf(format="A4")) > 1000
    assert not page.console_errors and not page.server_errors


def test_the_goals_list_and_a_reps_task_queue_render_without_errors(app, page, live_server, demo):
    sign_in(page, live_server, "rep2@example.com", DEMO_PASSWORD)
    page.goto(f"{live_server}/tasks")
    page.wait_for_load_state("networkidle")
    _shoot(page, "tasks-rep")  # with the behind-pace banner when the demo's week is behind
    page.goto(f"{live_server}/goals")
    page.wait_for_load_state("networkidle")
    assert page.locator("table a:has-text('new business')").is_visible()
    assert not page.locator("text=Set a goal").count()  # reps read goals; managers set them
    _shoot(page, "goals-rep")
    assert not page.console_errors and not page.server_errors
