"""Global search from the top bar: "/" or Ctrl+K focuses it from any page, Enter shows the matches, a match opens."""
from __future__ import annotations

from sequencer.demo import DEMO_PASSWORD
from tests.browser.conftest import sign_in, wait_until

FOCUSED = "document.activeElement && document.activeElement.id === 'global-search'"


def test_slash_focuses_search_and_enter_finds_a_prospect(page, live_server, demo):
    sign_in(page, live_server, "rep@example.com", DEMO_PASSWORD)
    page.goto(f"{live_server}/pipeline")
    page.keyboard.press("/")
    wait_until(page, FOCUSED)
    page.keyboard.type("Žukausk")
    page.keyboard.press("Enter")
    page.wait_for_load_state("networkidle")
    assert "/search?q=" in page.url
    results = page.locator("#results-prospects")
    assert "Šarūnas Žukauskas" in results.inner_text()
    results.locator("a", has_text="Šarūnas Žukauskas").click()
    page.wait_for_load_state("networkidle")
    assert "/prospects/" in page.url
    assert page.console_errors == [] and page.server_errors == []


def test_ctrl_k_focuses_search_but_slash_in_a_field_is_typed(page, live_server, demo):
    sign_in(page, live_server, "manager@example.com", DEMO_PASSWORD)
    page.goto(f"{live_server}/prospects")
    page.keyboard.press("Control+k")
    wait_until(page, FOCUSED)
    page.click("form.filters input[name=q]")
    page.keyboard.type("a/b")
    assert page.input_value("form.filters input[name=q]") == "a/b"
    assert not page.evaluate(FOCUSED)
