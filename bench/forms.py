"""Website form numbers on PostgreSQL: one gunicorn worker with the product's settings, one RQ worker.

    .venv/bin/python -m bench.forms [--seconds 15] [--handoffs 100] [--pairs 200] [--port 18617]

1. response: POST /f/<key> (JSON, a new address each time) from 50 concurrent connections with wrk
   → p50/p95/p99 of the answer (the request only checks and stores; target p95 < 100 ms);
2. hand-off: submissions at --rate per second (default 2) with `sequencer worker` running → p95 from the submission stored to
   the owner's speed-to-lead task and the welcome email's step run queued (target ≤ 5 s), and to the welcome sent;
3. double clicks: each of N addresses posted twice at the same moment (50 at a time) → contacts per address
   (target: exactly one) and speed-to-lead tasks per address.
The rate limits are raised for the run (they are what a real visitor meets; here every client is 127.0.0.1).
Needs `wrk` (Debian package) and PostgreSQL (BENCH_ADMIN_URL, default postgres@127.0.0.1); REDIS_URL db 3.
"""
from __future__ import annotations

import argparse
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from datetime import timedelta
from pathlib import Path

from sqlalchemy import func, select, update

from bench._pg import bench_app, fresh_database
from bench.task_queue import LUA_REPORT, wrk
from sequencer.extensions import db, redis_store
from sequencer.forms import definitions, queueing, spam
from sequencer.models import Enrollment, Form, FormSubmission, Mailbox, Prospect, Role, StepRun, Task, User
from sequencer.models.tasks import TaskType
from sequencer.platform import clock, queues

SECRET = "bench-secret-key-for-forms"
LUA_POST = """
local threads = {}
function setup(thread) table.insert(threads, thread); thread:set("id", #threads) end
function init(args) n = 0 end
function request()
  n = n + 1
  local body = string.format('{"email": "w%d.%d@bench-acme.com", "first_name": "Bench", "company": "Acme", ' ..
    '"consent": "on", "_t": "TOKEN"}', id, n)
  return wrk.format("POST", "PATH", {["Content-Type"] = "application/json", ["Accept"] = "application/json"}, body)
end
"""


def setup(app) -> tuple[str, str, str]:
    """A manager, a rep with an outbox mailbox, and two forms (one for the load, one for the hand-off)."""
    with app.app_context():
        manager = User(email="m@bench.test", name="Manager", role=Role.MANAGER, password_hash="x")
        rep = User(email="r@bench.test", name="Rep", role=Role.REP, password_hash="x")
        db.session.add_all([manager, rep])
        db.session.flush()
        db.session.add(Mailbox(email="rep@bench.test", owner_id=rep.id, daily_limit=100000, min_interval_seconds=0))
        fields = [{"name": "email", "required": True}, {"name": "first_name"}, {"name": "company"},
                  {"name": "consent"}]
        keys = []
        for name in ("Load", "Hand-off"):
            form = definitions.create(db.session, {"name": name, "kind": "demo_request", "fields": fields,
                                                   "routing": {"round_robin": [{"user_id": rep.id, "weight": 1}]}},
                                      manager)
            keys.append((form.key, form.id))
        db.session.commit()
        token = spam.timing_token(SECRET, keys[0][1], clock.now() - timedelta(seconds=30))
        return keys[0][0], keys[1][0], token


def post(base: str, key: str, body: dict) -> int:
    request = urllib.request.Request(f"{base}/f/{key}", data=json.dumps(body).encode(), method="POST",
                                     headers={"Content-Type": "application/json", "Accept": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.status


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def park_load(app) -> None:
    """The load stage's thousands of submissions are not part of the hand-off figure: set aside, queue emptied."""
    time.sleep(3)  # requests wrk gave up on at its deadline still commit
    with app.app_context():
        db.session.execute(update(FormSubmission).values(status="duplicate"))
        db.session.commit()
        conn = redis_store.connection(app)
        queues.queue(queues.DEFAULT, conn).empty()
        conn.delete(queueing.KICK)


def handoff_stage(app, base: str, key: str, count: int, rate: float) -> str:
    with app.app_context():
        form_id = db.session.scalar(select(Form.id).where(Form.key == key))
        token = spam.timing_token(SECRET, form_id, clock.now() - timedelta(seconds=30))
    for i in range(count):
        post(base, key, {"email": f"h{i}@bench-hand.com", "first_name": "Hana", "consent": "on", "_t": token})
        time.sleep(1 / rate)
    deadline = time.monotonic() + 300
    with app.app_context():
        while time.monotonic() < deadline:
            db.session.rollback()
            done = db.session.scalar(select(func.count(FormSubmission.id)).where(
                FormSubmission.form_id == form_id, FormSubmission.status == "processed"))
            if done >= count:
                break
            time.sleep(0.5)
        welcome = db.session.scalar(select(Form.welcome_sequence_id).where(Form.id == form_id))
        rows = db.session.execute(select(FormSubmission.created_at, Task.created_at, StepRun.created_at, StepRun.sent_at)
                                  .join(Task, Task.id == FormSubmission.task_id)
                                  .join(Enrollment, (Enrollment.prospect_id == FormSubmission.prospect_id)
                                        & (Enrollment.sequence_id == welcome))
                                  .join(StepRun, StepRun.enrollment_id == Enrollment.id)
                                  .where(FormSubmission.form_id == form_id)).all()
    queued = [(max(t, r) - s).total_seconds() for s, t, r, _ in rows]
    sent = [(x - s).total_seconds() for s, _, _, x in rows if x is not None]
    return (f"{len(rows)}/{count} handed off; task + welcome queued p50={statistics.median(queued):.2f}s "
            f"p95={pct(queued, 95):.2f}s max={max(queued):.2f}s; welcome sent {len(sent)} "
            f"p95={pct(sent, 95) if sent else float('nan'):.2f}s")


def double_clicks(app, base: str, key: str, pairs: int) -> str:
    with app.app_context():
        form_id = db.session.scalar(select(Form.id).where(Form.key == key))
        token = spam.timing_token(SECRET, form_id, clock.now() - timedelta(seconds=30))
    codes: list[int] = []

    def click(email: str) -> None:
        codes.append(post(base, key, {"email": email, "first_name": "Dora", "consent": "on", "_t": token}))

    for start in range(0, pairs, 25):  # 25 addresses × 2 simultaneous clicks = 50 requests in flight
        threads = [threading.Thread(target=click, args=(f"d{i}@bench-double.com",))
                   for i in range(start, min(pairs, start + 25)) for _ in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    time.sleep(1)
    deadline = time.monotonic() + 300
    with app.app_context():
        while time.monotonic() < deadline:
            db.session.rollback()
            waiting = db.session.scalar(select(func.count(FormSubmission.id)).where(
                FormSubmission.form_id == form_id, FormSubmission.status.in_(["received", "processing"])))
            if not waiting:
                break
            time.sleep(0.5)
        people = dict(db.session.execute(select(Prospect.email, func.count(Prospect.id))
                                         .where(Prospect.email.like("d%@bench-double.com")).group_by(Prospect.email)).all())
        tasks = db.session.scalar(select(func.count(Task.id)).join(Prospect, Prospect.id == Task.prospect_id).where(
            Prospect.email.like("d%@bench-double.com"), Task.type == TaskType.SPEED_TO_LEAD))
    extra = sum(n - 1 for n in people.values())
    return (f"{pairs} addresses × 2 simultaneous posts ({codes.count(200)}/{len(codes)} answered 200): "
            f"{len(people)} contacts, {extra} duplicate contacts, {tasks} speed-to-lead tasks")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=15)
    parser.add_argument("--handoffs", type=int, default=100)
    parser.add_argument("--pairs", type=int, default=200)
    parser.add_argument("--rate", type=float, default=2.0, help="hand-off stage: submissions per second")
    parser.add_argument("--port", type=int, default=18617)
    parser.add_argument("--web-workers", type=int, default=1,
                        help="gunicorn processes (the product's default is 2 per core: WEB_CONCURRENCY)")
    args = parser.parse_args()
    url = fresh_database("seq_forms")
    redis_url = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/3")
    os.environ["REDIS_URL"] = redis_url
    app = bench_app(url)
    app.config["SECRET_KEY"] = SECRET
    with app.app_context():
        redis_store.connection(app).flushdb()
    load_key, handoff_key, token = setup(app)
    env = {**os.environ, "DATABASE_URL": url, "SECRET_KEY": SECRET, "REDIS_URL": redis_url,
           "SEQUENCER_INSTANCE": tempfile.mkdtemp(), "FORM_IP_RATE_LIMIT": "1000000 per minute",
           "FORM_RATE_LIMIT": "1000000 per minute"}
    root = Path(__file__).resolve().parent.parent
    bin_dir = Path(sys.executable).parent
    gunicorn = subprocess.Popen([str(bin_dir / "gunicorn"), "-c", "python:sequencer.runtime.gunicorn_conf", "-w", str(args.web_workers),
                                 "-b", f"127.0.0.1:{args.port}", "--log-level", "warning", "wsgi:app"], env=env, cwd=root)
    worker = None
    base = f"http://127.0.0.1:{args.port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{base}/healthz", timeout=1)
                break
            except OSError:
                time.sleep(0.2)
        script = LUA_POST.replace("TOKEN", token).replace("PATH", f"/f/{load_key}")
        wrk(["-t", "2", "-c", "10", "-d", "3s", base], script + LUA_REPORT)  # warm up
        alone = wrk(["-t", "1", "-c", "1", "-d", "5s", "--timeout", "5s", base], script + LUA_REPORT)
        print(f"1a. submission response, one client back to back (no queueing): {alone}")
        result = wrk(["-t", "2", "-c", "50", "-d", f"{args.seconds}s", "--timeout", "5s", base], script + LUA_REPORT)
        print(f"1. submission response, 50 connections, {args.web_workers} gunicorn worker(s) (gthread, 4 threads each): {result}")
        park_load(app)
        worker = subprocess.Popen([str(bin_dir / "sequencer"), "worker"], env=env, cwd=root,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        handed = handoff_stage(app, base, handoff_key, args.handoffs, args.rate)
        print(f"2. hand-off at {args.rate:g} submissions/s, one RQ worker: {handed}")
        print(f"3. double clicks: {double_clicks(app, base, handoff_key, args.pairs)}")
    finally:
        for proc in (worker, gunicorn):
            if proc is not None:
                proc.send_signal(signal.SIGTERM)
                proc.wait(timeout=30)
    print(f"load: {os.getloadavg()}")


if __name__ == "__main__":
    main()
