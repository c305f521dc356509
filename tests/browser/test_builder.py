"""A manager builds a four-step sequence in the browser, saves it and previews it for a CFO prospect."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from sequencer.extensions import db
from tests.browser.conftest import sign_in, wait_until
from tests.factories import Factory

SHOTS = os.environ.get("BUILDER_SCREENSHOTS")


@pytest.fixture
def data(app):
    f = Factory(db.session)
    manager = f.user("manager", name="Mia Manager", timezone="Europe/Berlin")
    cfo = f.persona("cfo", name="Chief Financial Officer")
    f.persona("head_of_sales", name="Head of Sales")
    company = f.company(name="Žalgiris UAB", country="LT", industry="Retail")
    prospect = f.prospect(first_name="Rūta", last_name="Kazlauskienė", country="LT", timezone="Europe/Vilnius",
                          title="CFO", company=company, persona=cfo, fields={"erp": "SAP"})
    db.session.commit()
    return {"manager": manager.email, "prospect": prospect.id}


def _swap(page, selector: str, then: str) -> None:
    """Click an htmx action button and wait for the element it should produce."""
    page.click(selector)
    page.locator(then).wait_for()


def build_four_steps(page, base):
    page.goto(f"{base}/sequences/new")
    page.fill("#b-name", "Q1 CFO outbound")
    page.fill("#b-desc", "Finance leaders in the Baltics")
    _swap(page, "#add-step-auto_email", "#steps-0-variants-0-subject")
    page.fill("#steps-0-variants-0-subject", "Month-end at {{ company.name }}")
    page.fill("#steps-0-variants-0-body", "Hi {{ prospect.first_name }},\n\nA short note about spend control.")
    _swap(page, "button[value='add_variant:0']", "#steps-0-variants-1-subject")
    page.fill("#steps-0-variants-1-subject", "Quick question, {{ prospect.first_name }}")
    page.fill("#steps-0-variants-1-body", "Hello {{ prospect.first_name }}")
    page.select_option("select[name='steps-0-variants-0-new_persona']", "cfo")
    _swap(page, "button[value='add_persona:0:0']", "#steps-0-variants-0-persona-cfo-subject")
    page.fill("#steps-0-variants-0-persona-cfo-subject", "Closing the books faster at {{ company.name }}")
    page.fill("#steps-0-variants-0-persona-cfo-body", "Hi {{ prospect.first_name }}, a note for finance.")
    _swap(page, "#add-step-call", "#steps-1-instructions")
    _swap(page, "#add-step-auto_email", "#steps-2-variants-0-body")
    assert page.locator("input[name='steps-2-thread']").is_checked()
    assert page.input_value("#steps-2-wait_days") == "3"
    page.fill("#steps-2-variants-0-body", "Following up, {{ prospect.first_name }}.")
    _swap(page, "#add-step-linkedin_connect", "#steps-3-instructions")
    # nothing typed earlier was lost by the fragment swaps
    assert page.input_value("#steps-0-variants-0-persona-cfo-subject").startswith("Closing the books")


def test_manager_builds_saves_and_previews_a_sequence(page, live_server, data):
    sign_in(page, live_server, data["manager"])
    build_four_steps(page, live_server)
    page.click("button[type=submit][form=builder-form]")
    page.wait_for_load_state("networkidle")
    assert "/edit" in page.url
    assert "Saved" in page.locator(".flashes").inner_text()
    assert page.locator(".b-step").count() == 4
    page.select_option("#pv-prospect", str(data["prospect"]))
    page.locator(".pv-subject-text").wait_for()
    assert page.locator(".pv-subject-text").inner_text() == "Closing the books faster at Žalgiris UAB"
    rows = page.locator("table.pv-schedule tbody tr:not(.why)")
    assert rows.count() == 4
    assert "Europe/Berlin" in page.locator("table.pv-schedule thead").inner_text()
    frame = page.frame_locator("iframe.pv-frame")
    assert "a note for finance" in frame.locator("body").inner_text()
    # the preview follows unsaved edits
    page.fill("#steps-0-variants-0-persona-cfo-subject", "Edited for {{ prospect.first_name }}")
    page.click("#preview .pv-refresh")
    wait_until(page, "document.querySelector('.pv-subject-text').textContent.includes('Edited for Rūta')")
    page.wait_for_load_state("networkidle")
    if SHOTS:
        page.screenshot(path=str(Path(SHOTS) / "builder-preview.png"), full_page=False)
        page.locator(".preview-card").screenshot(path=str(Path(SHOTS) / "builder-preview-panel.png"))
    assert page.server_errors == []
    assert page.console_errors == []


def test_inline_template_error_in_the_browser(page, live_server, data, tmp_path):
    """A typo in a variable is refused inline, with its line; screenshots go to BUILDER_SCREENSHOTS if set."""
    shots = Path(SHOTS) if SHOTS else tmp_path
    sign_in(page, live_server, data["manager"])
    page.goto(f"{live_server}/sequences/new")
    page.screenshot(path=str(shots / "builder-empty.png"))
    build_four_steps(page, live_server)
    _swap(page, "#add-step-task", "#steps-4-instructions")
    page.fill("#steps-2-variants-0-body", "Following up, {{ prospect.frist_name }}.")
    page.click("button[type=submit][form=builder-form]")
    page.wait_for_load_state("networkidle")
    assert "frist_name" in page.locator("main").inner_text()
    assert "line 1" in page.locator("main").inner_text()
    page.screenshot(path=str(shots / "builder-error.png"))
    page.locator("#steps-2-variants-0-body").scroll_into_view_if_needed()
    page.screenshot(path=str(shots / "builder-error-step.png"))
    assert [e for e in page.server_errors if not e.startswith("422 ")] == []  # 422 is the refusal itself
    assert [e for e in page.console_errors if "status of 422" not in e] == []
