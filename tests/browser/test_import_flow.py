"""The Done-when flow in a real browser: an SDR uploads the messy Sales Navigator sample, fixes the
mapping, reads the bad rows with reasons, and enrols the good ones; the `+nav` alias of Dalia is Dalia, not a
second prospect (issue 23). Screenshots go to IMPORT_SCREENSHOTS if set (else the test's tmp dir)."""
import os
from pathlib import Path

from sqlalchemy import func, select

from sequencer.demo import DEMO_PASSWORD
from sequencer.extensions import db
from sequencer.models import Enrollment, ImportedProspect, Prospect
from sequencer.web.imports import SAMPLE
from tests.browser.conftest import sign_in


def test_sdr_imports_the_sample_fixes_mapping_sees_bad_rows_and_enrols(page, live_server, demo, tmp_path):
    shots = Path(os.environ.get("IMPORT_SCREENSHOTS") or tmp_path)
    shots.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size({"width": 1366, "height": 800})
    sign_in(page, live_server, "rep@example.com", DEMO_PASSWORD)
    page.goto(f"{live_server}/prospects")
    page.click("#import-csv")
    page.wait_for_load_state("networkidle")
    assert page.locator("#sample-link").is_visible()
    page.set_input_files("#i-file", str(SAMPLE))
    page.click("form button.btn-primary")
    page.wait_for_load_state("networkidle")

    assert "Which column is what?" in page.locator("h1").inner_text()
    assert "separated by semicolons" in page.locator(".page-head .sub").inner_text()
    email_select = page.locator("select[data-column='Contact Info']")
    assert email_select.input_value() == "email"  # not a header we know, but its values are addresses
    assert page.locator("select[data-column='Geography']").input_value() == "location"
    email_select.select_option("email")
    page.locator("select[data-column='Lead Source']").select_option("custom:Lead Source")
    page.locator("select[data-column='Notes']").select_option("custom:Notes")
    page.screenshot(path=str(shots / "import-mapping.png"), full_page=True)
    page.click("#mapping-form button.btn-primary")
    page.wait_for_load_state("networkidle")

    stats = page.locator("#import-stats").inner_text()
    assert "New prospects" in stats
    page.screenshot(path=str(shots / "import-result.png"), full_page=True)
    problems = page.locator("#import-problems").inner_text()
    for reason in ("is not a phone number", "email is missing",
                   "same email as line 9 of this file", "on the suppression list"):
        assert reason in problems, reason
    assert "The part after the @-sign" in problems or "@" in problems  # the broken address, with its reason
    page.screenshot(path=str(shots / "import-result.png"), full_page=True)

    page.locator(".enrol-imported select[name=sequence_id]").select_option(index=1)
    page.click(".enrol-imported button.btn-primary")
    page.wait_for_load_state("networkidle")
    assert "Enrolled" in page.locator(".flashes").inner_text()
    imported = db.session.scalar(select(func.count()).select_from(ImportedProspect))
    enrolled = db.session.scalar(select(func.count(Enrollment.id)).where(
        Enrollment.prospect_id.in_(select(ImportedProspect.prospect_id))))
    assert imported >= 10 and enrolled > 0
    assert not page.console_errors and not page.server_errors

    page.locator(".logout-form button").click()
    sign_in(page, live_server, "manager@example.com", DEMO_PASSWORD)
    page.goto(f"{live_server}/prospects/duplicates")
    assert "dalia.grybauskiene+nav@" not in page.content()
    assert not db.session.scalar(select(func.count()).select_from(Prospect).where(
        Prospect.email_normalized.like("dalia.grybauskiene+%")))
    page.screenshot(path=str(shots / "duplicates.png"), full_page=True)
    assert not page.console_errors and not page.server_errors
