"""A live server on loopback (real CSRF) and Debian's Chromium driven by Playwright."""
from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Iterator

import pytest
from sqlalchemy import update
from werkzeug.serving import make_server

from sequencer.app import create_app
from sequencer.demo import DEMO_PASSWORD
from sequencer.extensions import db
from sequencer.models import User
from tests.browser.demo_snapshot import seed_or_restore
from tests.conftest import TEST_PASSWORD

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]


@pytest.fixture
def live_server(app_config: dict, app) -> Iterator[str]:
    """Serve a second app (CSRF on) over the same database on a free loopback port."""
    served = create_app({**app_config, "WTF_CSRF_ENABLED": True, "TESTING": False})
    server = make_server("127.0.0.1", 0, served, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)


@pytest.fixture(scope="session")
def browser():
    if not (os.path.exists(CHROMIUM) or shutil.which("chromium")):
        pytest.skip(f"needs Chromium at {CHROMIUM} (Debian package 'chromium')")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        instance = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield instance
        instance.close()


@pytest.fixture
def page(browser):
    """A fresh page that records console errors and failed responses for the test to check."""
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    pg = context.new_page()
    pg.console_errors = []
    pg.server_errors = []
    pg.on("console", lambda msg: msg.type == "error" and pg.console_errors.append(msg.text))
    pg.on("pageerror", lambda exc: pg.console_errors.append(str(exc)))
    pg.on("response", lambda r: r.status >= 400 and pg.server_errors.append(f"{r.status} {r.url}"))
    yield pg
    context.close()


@pytest.fixture
def demo(app):
    """The demo workspace in the test database (its users log in with DEMO_PASSWORD), every profile set to
    English: these suites read the English UI. `demo_as_seeded` keeps Rūta's Lithuanian."""
    seed_or_restore(db.session, english=True)
    db.session.execute(update(User).values(locale="en"))
    db.session.commit()


@pytest.fixture
def demo_as_seeded(app):
    seed_or_restore(db.session)


def sign_in(page, base: str, email: str, password: str = TEST_PASSWORD) -> None:
    page.goto(f"{base}/login")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "/login" not in page.url, f"login as {email} failed"


def wait_until(page, expression: str, timeout_ms: int = 10_000) -> None:
    """Poll `expression` through page.evaluate (DevTools, not the page's eval: the app's CSP forbids
    'unsafe-eval', so Playwright's wait_for_function cannot poll a string there)."""
    waited = 0
    while not page.evaluate(expression):
        assert waited < timeout_ms, f"still false after {timeout_ms} ms: {expression}"
        page.wait_for_timeout(100)
        waited += 100


__all__ = ["DEMO_PASSWORD", "sign_in", "wait_until"]
