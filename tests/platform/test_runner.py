"""`sequencer run` end to end: embedded defaults, demo data, a working login, clean Ctrl-C, data reused."""
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path

import psutil

from tests.conftest import csrf_token_from


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _start(tmp_path, port):
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL", "SECRET_KEY"}}
    env["SEQUENCER_INSTANCE"] = str(tmp_path / "instance")
    log = tmp_path / f"run-{time.monotonic_ns()}.log"
    with open(log, "wb") as out:  # the child keeps its own copy of the descriptor
        proc = subprocess.Popen([sys.executable, "-m", "sequencer", "run", "--port", str(port)], env=env,
                                stdout=out, stderr=subprocess.STDOUT, cwd=tmp_path)
    return proc, log


def _wait_healthy(base: str, proc, log, timeout: float = 90) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert proc.poll() is None, f"run exited early:\n{_read(log)}"
        try:
            with urllib.request.urlopen(f"{base}/healthz", timeout=5) as res:
                import json

                return json.loads(res.read())
        except (urllib.error.URLError, OSError):  # not listening yet, or still booting
            time.sleep(0.5)
    raise AssertionError(f"never healthy:\n{_read(log)}")


def _read(log: Path) -> str:
    return log.read_text()


def _stop(proc, log) -> list[psutil.Process]:
    children = psutil.Process(proc.pid).children(recursive=True)
    assert {"gunicorn", "worker", "cron"} <= {
        word for c in children for word in ("gunicorn", "worker", "cron") if word in " ".join(c.cmdline())
    }, [c.cmdline() for c in children]
    proc.send_signal(signal.SIGINT)
    assert proc.wait(timeout=30) == 0, _read(log)
    _, alive = psutil.wait_procs(children, timeout=10)
    return alive


def test_run_serves_the_demo_and_stops_cleanly(tmp_path):
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    proc, log = _start(tmp_path, port)
    try:
        assert _wait_healthy(base, proc, log) == {"status": "ok", "database": "ok", "redis": "ok"}
        output = _read(log)
        assert "loaded the demo workspace" in output
        email, password = re.search(r"login as rep\s+(\S+) / (\S+)", output).groups()

        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))
        token = csrf_token_from(opener.open(f"{base}/login").read().decode())
        form = urllib.parse.urlencode({"email": email, "password": password, "csrf_token": token}).encode()
        page = opener.open(f"{base}/login", data=form)
        assert page.geturl() == f"{base}/"  # the rep's day at a glance
        home = page.read().decode()
        assert 'id="glance-today"' in home and 'id="glance-overdue"' in home
        assert "Užduotys" in opener.open(f"{base}/tasks").read().decode()  # the demo's rep works in Lithuanian
    finally:
        alive = _stop(proc, log) if proc.poll() is None else []
    assert alive == [], f"children left running: {alive}"

    proc, log = _start(tmp_path, port)  # second start reuses the data
    try:
        _wait_healthy(base, proc, log)
        assert "loaded the demo workspace" not in _read(log)
    finally:
        _stop(proc, log)
