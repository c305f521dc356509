"""Settings → Webhooks in Chromium: add an endpoint (secret shown once), see its delivery to a real receiver,
filter, replay, rotate, disable; screenshots at 1280 and 390 px."""
from __future__ import annotations

import os
from datetime import timedelta

import pytest

from sequencer.extensions import db
from sequencer.webhooks.drain import DrainSettings, settings_from
from sequencer.webhooks.pump import pump
from tests.browser.conftest import sign_in
from tests.webhooks.receiver import Receiver

SHOTS = os.environ.get("SHOTS_DIR", "/tmp/shots-webhooks")


@pytest.fixture
def app_config(app_config: dict) -> dict:
    return {**app_config, "WEBHOOK_ALLOWED_PRIVATE": "127.0.0.1"}


def _shoot(page, name: str) -> None:
    os.makedirs(SHOTS, exist_ok=True)
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=f"{SHOTS}/{name}-{width}.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def test_a_manager_adds_a_webhook_sees_deliveries_and_replays(app, page, live_server, factory):
    receiver = Receiver()
    try:
        manager = factory.user("manager")
        db.session.commit()
        sign_in(page, live_server, manager.email)
        page.click("nav.nav a:has-text('Settings')")
        page.wait_for_load_state("networkidle")
        assert "/settings/webhooks" in page.url
        page.fill("#wh-url", receiver.url)
        page.fill("#wh-events", "prospect.*, deal.won")
        page.fill("#wh-desc", "CRM sync")
        page.click("button:has-text('Add webhook')")
        secret = page.locator("#webhook-secret").inner_text().strip()
        assert secret.startswith("whsec_")
        receiver.secrets.append(secret)
        _shoot(page, "webhook-created")

        factory.prospect(first_name="Eglė")
        db.session.commit()
        base = settings_from(app.config)
        pump(db.engine, DrainSettings(box=base.box, allow=base.allow, budget=timedelta(seconds=3), timeout=3))
        assert [r["body"]["type"] for r in receiver.received] == ["prospect.created"]

        page.reload()
        assert page.locator("#webhook-secret").count() == 0  # never shown again
        rows = page.locator("#deliveries tbody tr")
        assert rows.count() == 1 and "Delivered" in rows.first.inner_text() and "200" in rows.first.inner_text()
        _shoot(page, "webhook-deliveries")
        page.select_option("select[name=status]", "failed")
        page.click("button:has-text('Filter')")
        assert "No deliveries match" in page.locator("main").inner_text()
        page.select_option("select[name=status]", "")
        page.click("button:has-text('Filter')")
        page.click("#deliveries button:has-text('Replay')")
        assert "goes out again" in page.locator(".flashes").inner_text()
        pump(db.engine, DrainSettings(box=base.box, allow=base.allow, budget=timedelta(seconds=3), timeout=3))
        assert len(receiver.received) == 2 and receiver.received[0]["id"] == receiver.received[1]["id"]

        page.click("button:has-text('Rotate secret')")
        assert page.locator("#webhook-secret").inner_text().strip() != secret
        page.uncheck("input[name=enabled]")
        page.click("button:has-text('Save')")
        assert "Disabled" in page.locator("main").inner_text()
        detail = page.url
        page.once("dialog", lambda dialog: dialog.dismiss())  # asked first: dismissing keeps it
        page.click("button:has-text('Delete')")
        assert page.url == detail
        page.goto(f"{live_server}/settings/webhooks")
        _shoot(page, "webhook-list")
        assert page.goto(detail).status == 200  # still there
        page.once("dialog", lambda dialog: dialog.accept())
        page.click("button:has-text('Delete')")
        page.wait_for_load_state("networkidle")
        assert page.server_errors == [] and page.console_errors == []
        assert page.goto(detail).status == 404  # deleted once confirmed
    finally:
        receiver.close()


def test_a_refused_url_is_explained_on_the_form(page, live_server, factory):
    admin = factory.user("admin")
    db.session.commit()
    sign_in(page, live_server, admin.email)
    page.goto(f"{live_server}/settings/webhooks")
    page.fill("#wh-url", "https://10.0.0.7/hook")
    page.fill("#wh-events", "*")
    page.click("button:has-text('Add webhook')")
    assert "private, loopback or link-local" in page.locator("[role=alert]").inner_text()
    assert page.locator("#wh-url").input_value() == "https://10.0.0.7/hook"
