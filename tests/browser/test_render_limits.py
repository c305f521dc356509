"""In the browser: a preview that cannot render shows why (a 422 the page swaps in); the pages of issue 24's rules."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from sequencer.extensions import db
from tests.browser.conftest import sign_in
from tests.factories import Factory

SHOTS = os.environ.get("RENDER_SCREENSHOTS")


@pytest.fixture
def data(app):
    f = Factory(db.session)
    manager = f.user("manager", name="Mia Manager")
    rep = f.user("rep", name="Rimas Rep")
    admin = f.user("admin", name="Ada Admin")
    prospect = f.prospect(first_name="Rūta", last_name="Kazlauskienė", country="LT", timezone="Europe/Vilnius",
                          fields={"notes": "x" * 250_000})
    db.session.commit()
    return {"manager": manager.email, "rep": rep.email, "admin": admin.email, "prospect": prospect.id}


def _shoot(page, name: str, shots: Path) -> None:
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(shots / f"{name}-{width}.png"), full_page=True)
    page.set_viewport_size({"width": 1440, "height": 900})


def test_a_preview_too_long_to_render_says_why(page, live_server, data, tmp_path):
    shots = Path(SHOTS) if SHOTS else tmp_path
    sign_in(page, live_server, data["manager"])
    page.goto(f"{live_server}/sequences/new")
    page.fill("#b-name", "Notes")
    page.click("#add-step-auto_email")
    page.locator("#steps-0-variants-0-subject").wait_for()
    page.fill("#steps-0-variants-0-subject", "Hello")
    page.fill("#steps-0-variants-0-body", "Hi {{ prospect.first_name }}, {{ prospect.fields.notes }}")
    page.select_option("#pv-prospect", str(data["prospect"]))
    page.locator(".pv-problems").wait_for()
    text = page.locator(".pv-problems").inner_text()
    assert "cannot be rendered for this prospect" in text and "exceed 200000 bytes" in text
    _shoot(page, "builder-preview-422", shots)
    assert [e for e in page.server_errors if not e.startswith("422 ")] == []
    assert [e for e in page.console_errors if "status of 422" not in e] == []


def test_rule_pages_render_for_each_role(page, live_server, data, tmp_path):
    shots = Path(SHOTS) if SHOTS else tmp_path
    sign_in(page, live_server, data["rep"])
    page.goto(f"{live_server}/suppressions")
    assert "Addresses of your prospects" in page.locator("main").inner_text()
    page.fill("#s-entries", "rival.com")
    page.click("form.card button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "own prospects" in page.locator("main").inner_text()
    _shoot(page, "suppressions-rep-refused", shots)
    page.context.clear_cookies()
    sign_in(page, live_server, data["admin"])
    page.goto(f"{live_server}/settings/workspace")
    page.fill("#w-link-domains", "example.com")
    page.locator("#w-link-domains").scroll_into_view_if_needed()
    _shoot(page, "workspace-link-domains", shots)
    assert page.console_errors == []
