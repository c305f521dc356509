"""The demo's Lithuanian rep works in Lithuanian from her first sign-in, and Lithuanian's long words fit: no page is
wider than the screen and no button, tab or column heading clips its text, at laptop and phone widths.
Screenshots go to $SCREENSHOT_DIR (else a temp dir).

English words are looked for by tests/i18n with data written in Lithuanian; here the demo's sequences, written
in English by its manager, are data the rep reads as written."""
from __future__ import annotations

import os
from pathlib import Path

import pytest
from sqlalchemy import select, update

from sequencer.demo import DEMO_PASSWORD
from sequencer.extensions import db
from sequencer.models import Sequence, User
from tests.browser.conftest import sign_in

OVERFLOW = "document.documentElement.scrollWidth - window.innerWidth"
# visible controls whose text is cut: wider content than box, on elements that do not scroll on purpose
CLIPPED = """[...document.querySelectorAll('button, .btn, th, .tab, .chip, .pill, label, .nav a')]
  .filter(el => el.offsetParent !== null && getComputedStyle(el).overflowX !== 'auto')
  .filter(el => el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).textOverflow !== 'ellipsis')
  .map(el => el.tagName + ': ' + el.textContent.trim().slice(0, 40))"""


def _folder(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("SCREENSHOT_DIR") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _open(browser, width: int):
    context = browser.new_context(viewport={"width": width, "height": 812 if width < 600 else 1000},
                                  locale="en-US")  # her profile, not the browser, makes it Lithuanian
    pg = context.new_page()
    pg.console_errors = []
    pg.on("pageerror", lambda exc: pg.console_errors.append(str(exc)))
    return context, pg


def _check(pg, base: str, pages: dict[str, str], folder: Path, who: str, width: int) -> dict:
    problems: dict[str, object] = {}
    for name, path in pages.items():
        response = pg.goto(f"{base}{path}")
        pg.wait_for_load_state("networkidle")
        pg.screenshot(path=str(folder / f"lt-{who}-{name}-{width}.png"), full_page=True)
        if response.status != 200:
            problems[f"{path} status"] = response.status
        if pg.evaluate("document.documentElement.lang") != "lt":
            problems[f"{path} lang"] = pg.evaluate("document.documentElement.lang")
        if (extra := pg.evaluate(OVERFLOW)) > 0:
            problems[f"{path} wider by"] = extra
        if clipped := pg.evaluate(CLIPPED):
            problems[f"{path} clipped"] = clipped[:5]
    return problems


@pytest.mark.parametrize("width", [1280, 390])
def test_the_lithuanian_rep_works_in_lithuanian(browser, live_server, demo_as_seeded, width, tmp_path):
    context, pg = _open(browser, width)
    sign_in(pg, live_server, "rep@example.com", DEMO_PASSWORD)
    pages = {"home": "/", "queue": "/tasks?bucket=all", "prospects": "/prospects", "outbox": "/outbox",
             "board": "/pipeline", "reports": "/reports"}
    problems = _check(pg, live_server, pages, _folder(tmp_path), "rep", width)
    context.close()
    assert problems == {}
    assert pg.console_errors == []


@pytest.mark.parametrize("width", [1280, 390])
def test_a_manager_who_switches_to_lithuanian_gets_the_builder_reports_and_settings_in_it(
        browser, live_server, demo_as_seeded, width, tmp_path):
    db.session.execute(update(User).where(User.email.in_(["manager@example.com", "admin@example.com"]))
                       .values(locale="lt"))
    db.session.commit()
    sequence = db.session.scalars(select(Sequence).order_by(Sequence.id)).first()
    context, pg = _open(browser, width)
    sign_in(pg, live_server, "manager@example.com", DEMO_PASSWORD)
    pages = {"builder": f"/sequences/{sequence.id}/edit", "sequence": f"/sequences/{sequence.id}",
             "reports": "/reports", "activity": "/reports/reps", "goals": "/goals", "team": "/tasks/team"}
    problems = _check(pg, live_server, pages, _folder(tmp_path), "manager", width)
    context.close()
    context, pg = _open(browser, width)
    sign_in(pg, live_server, "admin@example.com", DEMO_PASSWORD)
    problems |= _check(pg, live_server, {"users": "/settings", "workspace": "/settings/workspace",
                                         "mailboxes": "/settings/mailboxes"}, _folder(tmp_path), "admin", width)
    context.close()
    assert problems == {}
