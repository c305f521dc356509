"""Log in as each role on the demo workspace, open every main page; no server or console error anywhere."""
import pytest

from sequencer.demo import DEMO_PASSWORD
from tests.browser.conftest import sign_in

MAIN_PAGES = {
    "admin": ["/sequences", "/prospects", "/tasks", "/pipeline", "/reports", "/outbox", "/settings", "/settings/tokens"],
    "manager": ["/sequences", "/prospects", "/tasks", "/pipeline", "/pipeline/list", "/reports", "/reports/pipeline",
                "/pipeline/rules", "/outbox"],
    "rep": ["/tasks", "/sequences", "/prospects", "/pipeline", "/pipeline/list", "/settings/tokens"],
}


@pytest.mark.parametrize("role", sorted(MAIN_PAGES))
def test_every_main_page_renders_demo_data(page, live_server, demo, role):
    sign_in(page, live_server, f"{role}@example.com", DEMO_PASSWORD)
    for path in MAIN_PAGES[role]:
        response = page.goto(f"{live_server}{path}")
        assert response.status == 200, f"{path}: {response.status}"
        page.wait_for_load_state("networkidle")
        assert page.locator("main").inner_text().strip(), f"{path} shows nothing"
    # a detail page from each list
    page.goto(f"{live_server}/sequences")
    page.locator("main a[href^='/sequences/']").first.click()
    page.wait_for_load_state("networkidle")
    page.goto(f"{live_server}/prospects")
    page.locator("main a[href^='/prospects/']").first.click()
    page.wait_for_load_state("networkidle")
    assert page.server_errors == []
    assert page.console_errors == []


def test_prospect_list_shows_diacritics(page, live_server, demo):
    sign_in(page, live_server, "manager@example.com", DEMO_PASSWORD)
    page.goto(f"{live_server}/prospects?q=Žukauskas")
    assert "Šarūnas Žukauskas" in page.locator("main").inner_text()


def test_wrong_password_shows_a_calm_error(page, live_server, demo):
    page.goto(f"{live_server}/login")
    page.fill("input[name=email]", "rep@example.com")
    page.fill("input[name=password]", "wrong")
    page.click("button[type=submit]")
    assert "Invalid email or password." in page.content()
    assert [e for e in page.server_errors if not e.startswith("401 ")] == []
