"""The pipeline board in Chromium on the demo: keyboard and drag moves, the lost-reason dialog, stale flags.

Set SHOTS_DIR=/some/dir to keep screenshots (1366x800) of the board, the list, a deal and the reports.
"""
from __future__ import annotations

import os
import re

from sqlalchemy import select

from sequencer.demo import DEMO_PASSWORD
from sequencer.extensions import db
from sequencer.models import Opportunity, Stage, StageChange, User
from tests.browser.conftest import sign_in, wait_until

SHOTS = os.environ.get("SHOTS_DIR")


def _shot(page, name: str) -> None:
    if SHOTS:
        page.set_viewport_size({"width": 1366, "height": 800})
        page.screenshot(path=os.path.join(SHOTS, f"{name}.png"))


def _column(page, stage: str):
    return page.locator(f".board-col[data-stage='{stage}']")


def _stage_of(opp_id: int) -> Opportunity:
    db.session.expire_all()
    return db.session.get(Opportunity, opp_id)


def test_move_cards_with_the_keyboard_and_by_drag_and_lost_asks_why(page, live_server, demo):
    rep = db.session.scalar(select(User).where(User.email == "rep@example.com"))
    sign_in(page, live_server, "rep@example.com", DEMO_PASSWORD)
    page.goto(f"{live_server}/pipeline?owner={rep.id}")
    assert page.locator(".deal-card.is-stale").count() >= 2
    assert "Stale since" in page.locator(".deal-card.is-stale").first.inner_text()
    _shot(page, "pipeline-board")

    # keyboard: a proposal card, → moves it to negotiation without a reload
    card = _column(page, "proposal").locator(".deal-card").first
    opp_id = int(card.get_attribute("data-id"))
    before = int(_column(page, "negotiation").locator("[data-role=count]").inner_text())
    left = int(_column(page, "proposal").locator("[data-role=count]").inner_text())
    card.focus()
    page.keyboard.press("ArrowRight")
    moved = _column(page, "negotiation").locator(f".deal-card[data-id='{opp_id}']")
    moved.wait_for()
    assert int(_column(page, "negotiation").locator("[data-role=count]").inner_text()) == before + 1
    assert int(_column(page, "proposal").locator("[data-role=count]").inner_text()) == left - 1
    assert _column(page, "qualification").locator("[data-role=count]").inner_text() == str(
        _column(page, "qualification").locator(".deal-card").count())
    assert page.evaluate("document.activeElement.dataset.id") == str(opp_id)  # focus stays on the card
    assert _stage_of(opp_id).stage == Stage.NEGOTIATION

    # drag to closed lost: the dialog asks why; cancelling leaves the deal where it was
    other = _column(page, "qualification").locator(".deal-card").first
    other_id = int(other.get_attribute("data-id"))
    other.drag_to(_column(page, "closed_lost"))
    dialog = page.locator("#lost-dialog")
    dialog.wait_for(state="visible")
    page.click("#lost-cancel")
    assert _column(page, "qualification").locator(f".deal-card[data-id='{other_id}']").count() == 1
    assert _stage_of(other_id).stage == Stage.QUALIFICATION

    # again, now with a reason picked from the suggestions
    _column(page, "qualification").locator(f".deal-card[data-id='{other_id}']").drag_to(_column(page, "closed_lost"))
    dialog.wait_for(state="visible")
    _shot(page, "pipeline-lost-dialog")
    page.locator(".pick-reason", has_text="No budget").click()
    page.click("#lost-confirm")
    _column(page, "closed_lost").locator(f".deal-card[data-id='{other_id}']").wait_for()
    assert not dialog.is_visible()
    lost = _stage_of(other_id)
    assert (lost.stage, lost.lost_reason) == (Stage.CLOSED_LOST, "No budget")
    history = db.session.scalars(select(StageChange.to_stage).where(StageChange.opportunity_id == other_id)
                                 .order_by(StageChange.id)).all()
    assert history[-2:] == ["qualification", "closed_lost"]

    # the keyboard into closed lost asks too; Escape cancels
    card = _column(page, "closed_won").locator(".deal-card").first
    if card.count():
        card.focus()
        page.keyboard.press("ArrowRight")
        dialog.wait_for(state="visible")
        page.keyboard.press("Escape")
        assert not dialog.is_visible()
    assert page.console_errors == [] and [e for e in page.server_errors if not e.startswith("422 ")] == []
    page.goto(f"{live_server}/tasks?type=stale_opportunity")
    # Rūta's reminders were written in her language (the demo seeds her as Lithuanian), the others' in English
    reminders = page.locator("li.task-row", has_text=re.compile("Stale deal:|Sustojęs sandoris:"))
    assert reminders.count() >= 2
    reminders.first.click()  # the task panel says why and links the deal
    panel = page.locator(".panel-inner")
    panel.locator("a[href^='/opportunities/']").first.wait_for()
    assert "No activity for" in panel.inner_text()
    if SHOTS:
        page.set_viewport_size({"width": 1366, "height": 800})
        reminders.first.evaluate("row => row.scrollIntoView({block: 'center'})")
        page.screenshot(path=os.path.join(SHOTS, "tasks-with-stale-reminders.png"))


def test_list_deal_and_reports_render_for_a_manager(page, live_server, demo):
    sign_in(page, live_server, "manager@example.com", DEMO_PASSWORD)
    page.goto(f"{live_server}/pipeline/list?status=open")
    assert page.locator("tr.row-stale").count() >= 3
    _shot(page, "pipeline-list")
    page.locator("tr.row-stale a").first.click()
    page.wait_for_load_state("networkidle")
    assert "Stale since" in page.locator(".stale-banner").inner_text()
    _shot(page, "opportunity-detail")
    page.goto(f"{live_server}/reports/pipeline")
    wait_until(page, "document.querySelectorAll('canvas').length === 3 && "
                     "[...document.querySelectorAll('canvas')].every(c => c.width > 0)")
    assert page.evaluate("Object.keys(Chart.instances).length") == 3
    assert "Win rate" in page.locator(".kpis").inner_text()
    _shot(page, "pipeline-reports")
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, "pipeline-reports-full.png"), full_page=True)
    assert page.console_errors == [] and page.server_errors == []
