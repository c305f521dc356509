"""In real Chromium the page's CSP blocks an injected inline script and handler, while the vendored
scripts (htmx) still run."""
import threading

import pytest
from flask import render_template_string
from flask_login import login_required
from werkzeug.serving import make_server

from sequencer.app import create_app
from tests.browser.conftest import sign_in

INJECTED = """{% extends "web/base.html" %}{% block content %}
<h1 id="probe">probe</h1>
<script>window.pwned = "inline script ran";</script>
<img src="/no-such-image.png" onerror="window.pwned2 = 'handler ran'">
{% endblock %}"""


@pytest.fixture
def probe_server(app_config, app):
    served = create_app({**app_config, "WTF_CSRF_ENABLED": True, "TESTING": False})

    @served.get("/csp-probe")
    @login_required
    def csp_probe():
        return render_template_string(INJECTED)

    server = make_server("127.0.0.1", 0, served, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)


def test_csp_blocks_an_inline_script_and_handler_but_not_htmx(page, probe_server, factory, session):
    user = factory.user("rep")
    session.commit()
    sign_in(page, probe_server, user.email)
    page.goto(f"{probe_server}/csp-probe")
    page.wait_for_load_state("networkidle")
    assert page.locator("#probe").inner_text() == "probe"
    assert page.evaluate("window.pwned === undefined && window.pwned2 === undefined")
    assert page.evaluate("typeof window.htmx") == "object"
    blocked = [e for e in page.console_errors if "Content Security Policy" in e]
    assert any("script" in e for e in blocked), page.console_errors
