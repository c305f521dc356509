"""Every answer carries the security headers: a CSP without inline scripts, no framing, nosniff, a referrer policy."""
import pytest


@pytest.mark.parametrize("path", ["/login", "/api/v1/openapi.json", "/healthz", "/no-such-page"])
def test_security_headers_on_every_kind_of_answer(client, path):
    res = client.get(path)
    csp = res.headers["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in csp.split(";") if d.strip())
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'"  # no 'unsafe-inline', no 'unsafe-eval'
    assert directives["frame-ancestors"] == "'none'" and directives["object-src"] == "'none'"
    assert directives["base-uri"] == "'none'" and directives["form-action"] == "'self'"
    assert res.headers["X-Frame-Options"] == "DENY"
    assert res.headers["X-Content-Type-Options"] == "nosniff"
    assert res.headers["Referrer-Policy"] == "same-origin"


def test_signed_in_pages_carry_them_too(client, as_role):
    as_role("rep")
    res = client.get("/tasks")
    assert res.status_code == 200 and "script-src 'self'" in res.headers["Content-Security-Policy"]


def test_hsts_only_under_an_https_base_url(app, client):
    assert "Strict-Transport-Security" not in client.get("/login").headers
    app.config["BASE_URL"] = "https://sequencer.example.com"
    assert client.get("/login").headers["Strict-Transport-Security"].startswith("max-age=")


def test_no_template_has_an_inline_script_or_event_handler():
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "templates" / "web"
    offenders = []
    for path in root.rglob("*.html"):
        text = path.read_text()
        for m in re.finditer(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", text):
            offenders.append(f"{path.name}: {m.group(0)}")
        for m in re.finditer(r"\son[a-z]+\s*=|\bhx-on[:-]|javascript:", text):
            offenders.append(f"{path.name}: {m.group(0)}")
    assert offenders == []
