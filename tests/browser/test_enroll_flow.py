"""In a real browser (CSRF on): tick rows, widen to "all matching the filter", enrol, read the result;
then pause and resume from the prospect page."""
import re

from sequencer.demo import DEMO_PASSWORD
from sequencer.extensions import db
from sequencer.models import Enrollment, EnrollmentStatus
from tests.browser.conftest import sign_in


def test_select_all_matching_then_enrol_and_pause(page, live_server, demo):
    sign_in(page, live_server, "manager@example.com", DEMO_PASSWORD)
    page.goto(f"{live_server}/prospects?country=LT")
    total = int(re.search(r"(\d+) matching", page.locator(".page-head .sub").inner_text()).group(1))
    assert total > 50  # more than one page, so "all matching" is offered
    page.locator(".row-check").nth(0).check()
    assert page.locator("#select-count").inner_text() == "1 selected"
    assert page.locator("#select-all-matching").is_hidden()
    page.locator("#check-page").check()
    assert page.locator("#select-count").inner_text() == "50 selected"
    page.locator("#mode-filter").check()
    assert page.locator("#select-count").inner_text() == f"{total} selected"
    page.click("#enrol-selected")
    page.wait_for_load_state("networkidle")
    assert "ids=" not in page.url and "mode=filter" in page.url and "country=LT" in page.url
    assert f"All {total} prospects matching country: LT" in page.locator(".page-head").inner_text()
    page.select_option("#e-seq", index=1)
    page.click("form button.btn-primary")
    page.wait_for_load_state("networkidle")
    check = page.locator("#enrol-check").inner_text()  # a mass enrolment shows the numbers first
    assert "will be enrolled" in check and "/day" in check and "business day" in check
    page.click("#enrol-confirm")
    page.wait_for_load_state("networkidle")
    heading = page.locator("h1").inner_text()
    enrolled, skipped = map(int, re.match(r"(\d+) enrolled, (\d+) skipped", heading).groups())
    assert enrolled + skipped == total and enrolled > 0
    if skipped:
        assert page.locator("table.skipped .skip-reason").count() == skipped
    assert not page.console_errors and not page.server_errors

    enrollment = db.session.query(Enrollment).order_by(Enrollment.id.desc()).first()
    page.goto(f"{live_server}/prospects/{enrollment.prospect_id}")
    section = page.locator(f"#enrollment-{enrollment.id}")
    section.locator("button", has_text="Pause").click()
    page.wait_for_load_state("networkidle")
    assert "paused" in page.locator(".flashes").inner_text()
    page.locator(f"#enrollment-{enrollment.id}").locator("button", has_text="Resume").click()
    page.wait_for_load_state("networkidle")
    assert "resumed" in page.locator(".flashes").inner_text()
    db.session.expire_all()
    assert db.session.get(Enrollment, enrollment.id).status == EnrollmentStatus.ACTIVE
