"""`sequencer run`: the whole product on one machine, each part a child process, stopped together on Ctrl-C."""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import click
from flask import Flask

from sequencer.config import load_settings

CHILD_STOP_SECONDS = 10


def _prepare(app: Flask, demo: bool) -> None:
    """Migrate, and load the demo workspace the first time (with the app the command runs in)."""
    from sequencer.extensions import db
    from sequencer.platform import migrate

    migrate.upgrade(app.config["DATABASE_URL"])
    if not demo:
        return
    with app.app_context():
        from sequencer.demo import seed_demo

        result = seed_demo(db.session)
        db.session.commit()
        if result.created:
            click.echo(f"loaded the demo workspace: {result.summary()}")


def _children(host: str, port: int) -> dict[str, list[str]]:
    bin_dir = Path(sys.executable).parent
    sequencer = [sys.executable, "-m", "sequencer"]
    return {
        "web": [str(bin_dir / "gunicorn"), "--config", "python:sequencer.runtime.gunicorn_conf", "--workers", "2",
                "--bind", f"{host}:{port}",
                "--graceful-timeout", "5", "--no-control-socket", "sequencer.wsgi:app"],
        "worker": [*sequencer, "worker"],
        "cron": [*sequencer, "cron"],
    }


def _fresh_metrics_dir(path: Path) -> str:
    """Every process of this run writes its Prometheus samples here; the last run's are stale."""
    shutil.rmtree(path, ignore_errors=True)
    path.mkdir(parents=True)
    return str(path)


def _stop(procs: dict[str, subprocess.Popen]) -> None:
    for proc in procs.values():
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + CHILD_STOP_SECONDS
    for proc in procs.values():
        try:
            proc.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def run_all(app: Flask, host: str = "127.0.0.1", port: int = 5000, demo: bool = True) -> int:
    settings = load_settings()
    embedded = None
    env = dict(os.environ)
    if not settings["REDIS_URL"]:
        from sequencer.platform.redis_conn import embedded_redis, embedded_url, stop_embedded

        embedded = embedded_redis(settings["INSTANCE_PATH"])
        env["REDIS_URL"] = embedded_url(embedded)
        os.environ["REDIS_URL"] = env["REDIS_URL"]
    env["SEQUENCER_INSTANCE"] = settings["INSTANCE_PATH"]
    env.setdefault("PROMETHEUS_MULTIPROC_DIR", _fresh_metrics_dir(Path(settings["INSTANCE_PATH"]) / "metrics"))
    _prepare(app, demo)

    procs: dict[str, subprocess.Popen] = {}
    stopping = False

    def _on_signal(signum: int, _frame: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, _on_signal)
    signal.signal(signal.SIGTERM, _on_signal)
    exit_code = 0
    try:
        for name, argv in _children(host, port).items():
            # own process group: Ctrl-C reaches us once, and we stop the children in order
            procs[name] = subprocess.Popen(argv, env=env, cwd=Path.cwd(), start_new_session=True)
        url = f"http://{host}:{port}"
        click.echo(f"\nSequencer is running at {url}  (Ctrl-C stops everything)")
        click.echo(f"  health: {url}/healthz   data: {settings['INSTANCE_PATH']}")
        if demo:
            from sequencer.demo import DEMO_LOGINS, DEMO_PASSWORD

            for email, role in DEMO_LOGINS:
                click.echo(f"  login as {role:8} {email} / {DEMO_PASSWORD}")
        while not stopping:
            for name, proc in procs.items():
                if proc.poll() is not None:
                    click.echo(f"{name} exited with code {proc.returncode}; stopping", err=True)
                    stopping, exit_code = True, 1
                    break
            time.sleep(0.5)
    finally:
        click.echo("stopping…")
        _stop(procs)
        if embedded is not None:
            stop_embedded(embedded)
    return exit_code
