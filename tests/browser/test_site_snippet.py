"""The website snippet in real Chromium: a visitor arriving by an email link is remembered by a first-party
cookie on the customer's site and its page views are scored; with Global Privacy Control nothing is sent."""
from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from sqlalchemy import func, select

from sequencer.mail import links
from sequencer.models import Activity, Prospect
from sequencer.scoring import config


@pytest.fixture
def customer_site(live_server: str) -> Iterator[str]:
    """The customer's own website (another origin) with the snippet embedded on every page."""

    class Page(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - http.server's name
            html = (f"<!doctype html><title>Acme {self.path}</title><h1>{self.path}</h1>"
                    f'<script src="{live_server}/t/s.js" data-site="localhost" async></script>').encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()
            self.wfile.write(html)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Page)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://localhost:{server.server_port}"
    server.shutdown()


def _views(session, pid: int, expected: int, wait: float = 8.0) -> int:
    deadline = time.monotonic() + wait
    while True:
        session.rollback()
        n = session.scalar(select(func.count(Activity.id)).where(Activity.prospect_id == pid,
                                                                 Activity.kind == "page_view"))
        if n >= expected or time.monotonic() > deadline:
            return n
        time.sleep(0.2)


def test_email_click_to_scored_page_views(app, session, factory, browser, live_server, customer_site):
    data = config.current(session).as_dict()
    data["tracking"] = {"enabled": True, "sites": ["localhost"]}
    config.save(session, data, factory.user("manager"))
    enrollment = factory.enrollment()
    run = factory.step_run(enrollment)
    session.commit()
    pid = enrollment.prospect_id
    click = links.click_url(live_server, app.config["SECRET_KEY"], run.id, f"{customer_site}/pricing")

    context = browser.new_context()
    page = context.new_page()
    page.goto(click)
    assert "sqv=" not in page.url  # the snippet moved the token into a first-party cookie
    assert any(c["name"] == "_sqv" and c["domain"] == "localhost" for c in context.cookies())
    assert _views(session, pid, 1) == 1
    page.goto(f"{customer_site}/customers")  # a later page: the cookie still identifies the visitor
    assert _views(session, pid, 2) == 2
    context.close()
    assert session.get(Prospect, pid).score_engagement == 10  # only /pricing pays

    private = browser.new_context()
    private.add_init_script("Object.defineProperty(navigator, 'globalPrivacyControl', {get: () => true})")
    tab = private.new_page()
    tab.goto(click)
    tab.wait_for_load_state("networkidle")
    assert "sqv=" in tab.url  # untouched: the snippet did nothing
    assert _views(session, pid, 3, wait=1.5) == 2
    private.close()
