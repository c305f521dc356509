"""`sequencer doctor`: a table of checks, exit 1 on any problem (a stopped Redis, a wrong SMTP password...)."""
from __future__ import annotations

import subprocess
from datetime import timedelta

import pytest
from rq import Worker

from sequencer.app import create_app
from sequencer.ops import doctor
from sequencer.ops.rq_info import record_cron_tick
from sequencer.platform import clock, queues
from sequencer.platform.security import SecretBox
from tests.ops.conftest import smtp_mailbox, wait_for
from tests.support.smtp_sink import Sink, free_port

KEY = "k" * 48


@pytest.fixture
def app_config(app_config):
    """A production-like configuration that passes: a stable key from the environment, https links."""
    return {**app_config, "SECRET_KEY": KEY, "SECRET_KEY_FROM_ENV": True, "BASE_URL": "https://sequencer.test"}


@pytest.fixture
def alive(redis_conn):
    """A worker that has checked in and a cron tick just now, as `sequencer worker` and `cron` leave them."""
    worker = Worker([queues.queue(name, redis_conn) for name in queues.ALL], connection=redis_conn)
    worker.register_birth()
    worker.heartbeat()
    record_cron_tick(redis_conn, clock.now())
    yield
    worker.register_death()


def _doctor(app):
    result = app.test_cli_runner().invoke(args=["doctor"])
    rows = {line.split()[0] if not line.startswith(("smtp ", "imap ", "mailbox ")) else " ".join(line.split()[:2]):
            line for line in result.output.splitlines()[1:] if line.strip() and not line.startswith(" ")}
    return result, rows


def test_a_working_installation_passes(app, session, factory, alive):
    with Sink(password="right-password") as sink:
        mailbox = smtp_mailbox(factory, sink, email="ok@sequencer.test", smtp_username="ok@sequencer.test",
                               smtp_password_encrypted=SecretBox(KEY).encrypt("right-password"))
        session.commit()
        result, rows = _doctor(app)
    assert result.exit_code == 0, result.output
    for name in ("SECRET_KEY", "BASE_URL", "database", "migrations", "redis", "workers", "cron", "clock",
                 f"smtp {mailbox.email}"):
        assert " ok " in rows[name], (name, result.output)


def test_a_wrong_smtp_password_fails(app, session, factory, alive):
    with Sink(password="right-password") as sink:
        smtp_mailbox(factory, sink, email="bad@sequencer.test", smtp_username="bad@sequencer.test",
                     smtp_password_encrypted=SecretBox(KEY).encrypt("wrong-password"))
        session.commit()
        result, rows = _doctor(app)
    assert result.exit_code == 1
    assert " fail " in rows["smtp bad@sequencer.test"] and "SMTPAuthenticationError" in rows["smtp bad@sequencer.test"]
    assert "wrong-password" not in result.output
    assert " ok " in rows["redis"]  # the other checks still ran


def test_a_stopped_redis_fails(app_config, tmp_path):
    port = free_port()
    server = subprocess.Popen(["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                               "--appendonly", "no", "--dir", str(tmp_path)], stdout=subprocess.DEVNULL)
    url = f"redis://127.0.0.1:{port}/0"
    stopped = create_app({**app_config, "REDIS_URL": url})
    import redis

    wait_for(lambda: _pings(redis.Redis.from_url(url)), timeout=10, what="the throwaway redis-server")
    server.terminate()
    server.wait(timeout=10)
    result, rows = _doctor(stopped)
    assert result.exit_code == 1, result.output
    assert " fail " in rows["redis"] and "unreachable" in rows["redis"]
    assert " ok " in rows["database"]


def test_clock_skew_and_silent_workers_fail(app, redis_conn):
    with clock.frozen(clock.now() + timedelta(minutes=5)):
        result, rows = _doctor(app)
    assert result.exit_code == 1
    assert " fail " in rows["clock"]
    assert " fail " in rows["workers"] and " fail " in rows["cron"]


def test_config_checks_in_production():
    prod = {"DATABASE_URL": "postgresql+psycopg://db/x", "SECRET_KEY": KEY, "SECRET_KEY_FROM_ENV": False,
            "BASE_URL": "http://sequencer.example.com"}
    checks = {c.name: c for c in doctor.check_config(prod)}
    assert checks["SECRET_KEY"].status == "fail" and checks["BASE_URL"].status == "fail"
    good = {**prod, "SECRET_KEY_FROM_ENV": True, "BASE_URL": "https://sequencer.example.com"}
    assert {c.status for c in doctor.check_config(good)} == {"ok"}
    assert doctor.check_config({**good, "SECRET_KEY": "short"})[0].status == "fail"
    dev = {"DATABASE_URL": "sqlite:///x.db", "SECRET_KEY": KEY, "BASE_URL": "http://127.0.0.1:5000"}
    assert {c.status for c in doctor.check_config(dev)} == {"ok"}


def _pings(conn) -> bool:
    try:
        return bool(conn.ping())
    except Exception:
        return False
