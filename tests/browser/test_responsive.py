"""A phone-sized and a tablet-sized screen: no page wider than the screen, the navigation behind a menu button,
the task list above its panel. Screenshots of each page at each width go to $SCREENSHOT_DIR (else a temp dir)."""
from __future__ import annotations

import os
from pathlib import Path

import pytest
from sqlalchemy import select

from sequencer.demo import DEMO_PASSWORD
from sequencer.extensions import db
from sequencer.models import Prospect, Sequence
from tests.browser.conftest import sign_in, wait_until

WIDTHS = (375, 768, 1280)
OVERFLOW = "document.documentElement.scrollWidth - window.innerWidth"


def _shots(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("SCREENSHOT_DIR") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _pages(role: str) -> dict[str, str]:
    prospect = db.session.scalars(select(Prospect).where(Prospect.timezone.is_not(None))
                                  .order_by(Prospect.id)).first()
    sequence = db.session.scalars(select(Sequence).order_by(Sequence.id)).first()
    pages = {"home": "/", "tasks": "/tasks", "prospect": f"/prospects/{prospect.id}", "outbox": "/outbox",
             "board": "/pipeline", "prospects": "/prospects", "sequences": "/sequences", "search": "/search?q=a",
             "scheduled": "/outbox?view=scheduled", "sequence": f"/sequences/{sequence.id}", "reports": "/reports",
             "activity": "/reports/reps", "missing": "/outbox?page=99"}
    if role == "manager":
        pages |= {"team": "/tasks/team", "pipeline-reports": "/reports/pipeline"}
    return pages


@pytest.fixture
def sized(browser):
    contexts = []

    def _open(width: int):
        context = browser.new_context(viewport={"width": width, "height": 812 if width < 600 else 1000})
        contexts.append(context)
        pg = context.new_page()
        pg.console_errors = []
        pg.on("pageerror", lambda exc: pg.console_errors.append(str(exc)))
        return pg

    yield _open
    for context in contexts:
        context.close()


@pytest.mark.parametrize("role", ["rep", "manager"])
@pytest.mark.parametrize("width", WIDTHS)
def test_no_page_is_wider_than_the_screen(sized, live_server, demo, role, width, tmp_path):
    pg = sized(width)
    sign_in(pg, live_server, f"{role}@example.com", DEMO_PASSWORD)
    folder = _shots(tmp_path)
    wider, failed = {}, {}
    for name, path in _pages(role).items():
        response = pg.goto(f"{live_server}{path}")
        if response.status != (404 if name == "missing" else 200):
            failed[path] = response.status
        pg.wait_for_load_state("networkidle")
        pg.screenshot(path=str(folder / f"{role}-{name}-{width}.png"), full_page=True)
        if os.environ.get("SCREENSHOT_DIR"):  # the first screenful too, to look at without scrolling
            pg.screenshot(path=str(folder / f"{role}-{name}-{width}-top.png"))
        extra = pg.evaluate(OVERFLOW)
        if extra > 0:
            wider[path] = extra
    assert wider == {}, f"pages wider than {width}px by: {wider}"
    assert failed == {}
    assert pg.console_errors == []


def test_phone_menu_button_opens_and_closes_the_navigation(sized, live_server, demo, tmp_path):
    pg = sized(375)
    sign_in(pg, live_server, "rep@example.com", DEMO_PASSWORD)
    pg.goto(f"{live_server}/tasks")
    sidebar = pg.locator("#sidebar")
    assert sidebar.bounding_box()["x"] + sidebar.bounding_box()["width"] <= 0  # off screen until asked for
    pg.click("[data-nav-toggle]")
    wait_until(pg, "document.getElementById('sidebar').getBoundingClientRect().left >= 0")
    assert pg.get_attribute("[data-nav-toggle]", "aria-expanded") == "true"
    pg.screenshot(path=str(_shots(tmp_path) / "rep-menu-open-375.png"))
    pg.click(".nav a[href='/outbox']")
    pg.wait_for_load_state("networkidle")
    assert pg.url.endswith("/outbox")
    pg.click("[data-nav-toggle]")
    wait_until(pg, "document.getElementById('sidebar').getBoundingClientRect().left >= 0")
    pg.keyboard.press("Escape")
    wait_until(pg, "document.getElementById('sidebar').getBoundingClientRect().right <= 0")


def test_desktop_keeps_the_sidebar_and_hides_the_menu_button(sized, live_server, demo):
    pg = sized(1280)
    sign_in(pg, live_server, "rep@example.com", DEMO_PASSWORD)
    pg.goto(f"{live_server}/tasks")
    assert pg.locator("#sidebar").bounding_box()["x"] == 0
    assert not pg.locator("[data-nav-toggle]").is_visible()


def test_phone_task_queue_stacks_the_list_above_the_panel(sized, live_server, demo):
    pg = sized(375)
    sign_in(pg, live_server, "rep@example.com", DEMO_PASSWORD)
    pg.goto(f"{live_server}/tasks?bucket=all")
    pg.wait_for_load_state("networkidle")
    listed = pg.locator(".task-list").bounding_box()
    panel = pg.locator(".queue-body > .panel").bounding_box()
    assert listed["width"] > 300 and panel["width"] > 300  # neither squeezed to nothing
    assert panel["y"] >= listed["y"] + listed["height"] - 1  # the panel below the list


def test_phone_prospect_details_do_not_wrap_a_letter_per_line(sized, live_server, demo):
    pg = sized(375)
    sign_in(pg, live_server, "manager@example.com", DEMO_PASSWORD)
    prospect = db.session.scalars(select(Prospect).order_by(Prospect.id)).first()
    pg.goto(f"{live_server}/prospects/{prospect.id}")
    widths = pg.evaluate("Array.from(document.querySelectorAll('main dd, main td')).map(e => e.getBoundingClientRect().width)"
                         ".filter(w => w > 0)")
    assert widths and min(widths) >= 40, widths
