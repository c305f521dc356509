"""The README's production block, as a new operator runs it: a wheel installed into a fresh venv, used from an
empty directory against PostgreSQL and Redis — migrate, create a user, gunicorn, worker and cron, then
/healthz, a login and one email through to an SMTP sink. Slow (~1-2 min): marked `install`."""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from sequencer.platform.db import make_engine
from tests.ops.conftest import ALWAYS, ROOT, wait_for
from tests.support.http import Client
from tests.support.smtp_sink import Sink, free_port

pytestmark = [pytest.mark.install, pytest.mark.postgres]
README_COMMANDS = ("sequencer db upgrade", "sequencer doctor", "sequencer users create you@example.com --role admin",
                   "gunicorn -c python:sequencer.runtime.gunicorn_conf sequencer.wsgi:app", "sequencer worker",
                   "sequencer cron", "pip install .")
PASSWORD = "operator-password-1"


@pytest.fixture
def install_db() -> str:
    url = make_url(os.environ["TEST_DATABASE_URL"])
    name = f"{url.database}_install"
    admin = make_engine(url.set(database="postgres").render_as_string(hide_password=False))
    with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    yield url.set(database=name).render_as_string(hide_password=False)
    with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _venv(tmp_path: Path) -> Path:
    wheels = tmp_path / "wheels"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(wheels), str(ROOT)],
                   check=True, cwd=tmp_path)
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    wheel = next(wheels.glob("sequencer-*.whl"))
    subprocess.run([str(venv / "bin" / "pip"), "install", "-q", str(wheel)], check=True, cwd=tmp_path)
    return venv / "bin"


def _api(base: str, token: str, path: str, body: dict | None = None) -> dict:
    req = urllib.request.Request(f"{base}/api/v1{path}", data=json.dumps(body or {}).encode(), method="POST",
                                 headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=30) as resp:
        return json.loads(resp.read() or b"{}")


def test_the_readme_production_block_works_from_an_installed_wheel(install_db, redis_url, redis_conn, tmp_path):
    readme = (ROOT / "README.md").read_text()
    block = readme.split("## Production", 1)[1].split("```sh", 1)[1].split("```", 1)[0]
    assert all(command in block for command in README_COMMANDS), block
    bin_dir = _venv(tmp_path)
    operator = tmp_path / "operator"  # an empty directory: no clone, no wsgi.py next to us
    operator.mkdir()
    port = free_port()
    env = {"PATH": f"{bin_dir}:{os.environ['PATH']}", "HOME": str(tmp_path), "LANG": "C.UTF-8",
           "DATABASE_URL": install_db, "REDIS_URL": redis_url, "SECRET_KEY": "s" * 48,
           "BASE_URL": f"http://127.0.0.1:{port}", "SEQUENCER_BIND": f"127.0.0.1:{port}", "WEB_CONCURRENCY": "2",
           "LOG_FORMAT": "json"}
    run = lambda *argv: subprocess.run(argv, cwd=operator, env=env, check=True, capture_output=True,  # noqa: E731
                                       text=True, timeout=120)
    run("sequencer", "db", "upgrade")
    run("sequencer", "users", "create", "you@example.com", "--role", "admin", "--password", PASSWORD)
    token = run("sequencer", "tokens", "create", "you@example.com").stdout.strip()
    procs = []
    try:
        for argv in (["gunicorn", "-c", "python:sequencer.runtime.gunicorn_conf", "sequencer.wsgi:app"],
                     ["sequencer", "worker"], ["sequencer", "cron"]):
            log = open(tmp_path / f"{argv[0]}-{len(procs)}.log", "wb")  # noqa: SIM115
            procs.append(subprocess.Popen(argv, cwd=operator, env=env, stdout=log, stderr=subprocess.STDOUT))
        base = f"http://127.0.0.1:{port}"
        client = Client()
        wait_for(lambda: _healthy(client, base), timeout=60, what="gunicorn's /healthz")

        login_page = client.request(f"{base}/login")
        csrf = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', login_page.text)
        assert login_page.status == 200 and csrf, login_page.text[:500]  # templates and static files ship in the wheel
        signed_in = client.request(f"{base}/login", {"email": "you@example.com", "password": PASSWORD,
                                                     "csrf_token": csrf.group(1)})
        assert signed_in.status == 200 and "/login" not in signed_in.url
        assert client.request(f"{base}/static/app.css").status == 200

        with Sink() as sink:
            _one_email(base, token, sink.port)
            wait_for(lambda: sink.handler.messages, timeout=90, what="cron → dispatch → worker → SMTP")
            assert b"Installed-and-sending" in sink.handler.messages[0]
            doctor = subprocess.run(["sequencer", "doctor"], cwd=operator, env=env, capture_output=True, text=True,
                                    timeout=120)
        failed = [line.split()[0] for line in doctor.stdout.splitlines()[1:] if " fail " in line]
        assert doctor.returncode == 1 and failed == ["BASE_URL"], doctor.stdout  # http:// on loopback, else all well
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            proc.wait(timeout=20)
    assert [p.returncode for p in procs] == [0, 0, 0], [(tmp_path / f).read_text()[-2000:] for f in
                                                        sorted(os.listdir(tmp_path)) if f.endswith(".log")]


def _healthy(client: Client, base: str) -> bool:
    try:
        reply = client.request(f"{base}/healthz", timeout=2)
    except OSError:
        return False
    return reply.status == 200 and json.loads(reply.text)["database"] == "ok"


def _one_email(base: str, token: str, smtp_port: int) -> None:
    users = json.loads(urllib.request.urlopen(urllib.request.Request(
        f"{base}/api/v1/users", headers={"Authorization": f"Bearer {token}"}), timeout=30).read())
    mailbox = _api(base, token, "/mailboxes", {
        "email": "you@example.com", "name": "You", "transport": "smtp", "smtp_host": "127.0.0.1",
        "smtp_port": smtp_port, "smtp_starttls": False, "daily_limit": 100, "min_interval_seconds": 0,
        "owner_id": users[0]["id"]})
    assert mailbox["awaiting_domain_check"] is True  # a new mailbox holds its first email for its DNS check...
    _api(base, token, "/domain-checks/accept", {"domain": "example.com"})  # ...or an admin's acceptance
    prospect = _api(base, token, "/prospects", {"email": "buyer@example.org", "first_name": "Ona",
                                                 "last_name": "Buyer", "timezone": "UTC"})
    sequence = _api(base, token, "/sequences", {"name": "Install check", "schedule": ALWAYS, "steps": [
        {"type": "auto_email", "wait_days": 0,
         "variants": [{"label": "A", "subject": "Hello {{ prospect.first_name }}", "body": "Installed-and-sending"}]}]})
    _api(base, token, f"/sequences/{sequence['id']}/activate")
    enrolled = _api(base, token, f"/sequences/{sequence['id']}/enrollments",
                    {"prospect_ids": [prospect["id"]], "mailbox_id": mailbox["id"]})
    assert len(enrolled["enrolled"]) == 1, enrolled
