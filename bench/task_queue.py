"""The rep's queue under load on PostgreSQL, served by gunicorn (the product's settings) and measured with wrk.

A rep owns 5,000 open tasks (overdue, today, upcoming) among 100,000 prospects. The Today page is fetched with a
session cookie by 20 concurrent users who each read the page for 0.5-1.5 s before the next request (the target:
p95 < 150 ms), then by 20 connections back to back with no pause at all (the saturation figure: the server's
capacity in pages per second, where latency is simply 20 / capacity), then by one user. Tasks are then completed
through the API, each a different task, moving its enrolment on (target p95 < 50 ms).

    .venv/bin/python -m bench.task_queue [--prospects 100000] [--tasks 5000] [--workers N] [--worker-class gthread]

Needs `wrk` (Debian package) and PostgreSQL (BENCH_ADMIN_URL, default postgres@127.0.0.1).
"""
from __future__ import annotations

import argparse
import http.cookiejar
import os
import random
import re
import signal
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from datetime import timedelta
from pathlib import Path

from sqlalchemy import insert, select, text

from bench._pg import bench_app, fresh_database
from sequencer.accounts.tokens import create_api_token
from sequencer.extensions import db
from sequencer.models import (
    Company,
    Enrollment,
    EnrollmentStatus,
    Event,
    Mailbox,
    Persona,
    Prospect,
    Role,
    Sequence,
    SequenceStatus,
    Step,
    StepRun,
    StepRunState,
    StepType,
    Task,
    User,
    Variant,
)
from sequencer.models.tasks import TaskStatus, TaskType
from sequencer.platform import clock
from sequencer.platform.security import hash_password

PASSWORD = "bench-password-1"
LUA_REPORT = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT requests=%d errors=%d p50=%.1f p95=%.1f p99=%.1f rps=%.1f " ..
    "(non-2xx=%d connect=%d read=%d timeout=%d)\\n",
    summary.requests, e.status + e.connect + e.read + e.timeout,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    summary.requests / (summary.duration / 1000000), e.status, e.connect, e.read, e.timeout))
end
"""
LUA_THINK = """
-- A rep reads the page for 0.5-1.5 s before the next request. Each wrk thread seeds its own random numbers (or
-- the threads would think in lock step) and a connection's first request goes at once: a browser connects when
-- it has something to ask, it does not open a socket and then think.
local threads = {}
function setup(thread) table.insert(threads, thread); thread:set("id", #threads) end
function init(args) math.randomseed(id * 7919); first = CONNS_PER_THREAD end
function delay()
  if first > 0 then first = first - 1; return 0 end
  return math.random(500, 1500)
end
"""
LUA_COMPLETE = """
local threads, counter = {}, 0
function setup(thread)
  thread:set("first", FIRST + #threads * STRIDE)
  table.insert(threads, thread)
end
function init(args) n = 0 end
function request()
  n = n + 1
  return wrk.format("POST", "/api/v1/tasks/" .. (first + n) .. "/complete",
    {["Authorization"] = "Bearer TOKEN", ["Content-Type"] = "application/json"},
    '{"outcome": "connected", "notes": "bench"}')
end
-- a thread that reaches the end of its own block of tasks stops (the next one is another thread's)
function response(status, headers, body) if n >= STRIDE then wrk.thread:stop() end end
"""


def seed(app, n_prospects: int, n_tasks: int) -> tuple[str, str, int]:
    """Returns (rep email, API token, first task id of the contiguous block)."""
    rng = random.Random(6)
    now = clock.now()
    with app.app_context():
        s = db.session
        rep = User(email="rep@bench.example", name="Bench Rep", role=Role.REP, timezone="Europe/Vilnius",
                   password_hash=hash_password(PASSWORD))
        other = User(email="rep2@bench.example", name="Other Rep", role=Role.REP, password_hash="x")
        s.add_all([rep, other])
        s.flush()
        mailbox = Mailbox(email="rep@bench.example", owner_id=rep.id)
        personas = [Persona(key=k, name=k.upper()) for k in ("cfo", "cto", "hos")]
        s.add_all([mailbox, *personas])
        seq = Sequence(name="Bench outbound", status=SequenceStatus.ACTIVE)
        seq.steps = [Step(position=1, type=StepType.AUTO_EMAIL, variants=[Variant(label="A", subject="Hi", body="b")]),
                     Step(position=2, type=StepType.CALL, wait_days=2, instructions="Ask about the budget"),
                     Step(position=3, type=StepType.AUTO_EMAIL, wait_days=2, variants=[Variant(label="A", body="c")])]
        s.add(seq)
        s.flush()
        s.execute(insert(Company), [{"name": f"Company {i}", "domain": f"c{i}.bench.example"} for i in range(5000)])
        company_ids = list(s.scalars(select(Company.id)))
        persona_ids = [p.id for p in personas]
        owners = (rep.id, other.id)
        for start in range(0, n_prospects, 20_000):
            s.execute(insert(Prospect), [
                {"email": f"p{i}@bench.example", "email_normalized": f"p{i}@bench.example", "first_name": f"P{i}",
                 "last_name": "Bench", "title": "CFO", "timezone": "Europe/Berlin", "country": "DE",
                 "phone": "+49 30 1234567", "linkedin_url": f"https://www.linkedin.com/in/p{i}",
                 "company_id": company_ids[i % len(company_ids)], "persona_id": persona_ids[i % 3],
                 "owner_id": owners[i % 2], "fields": {}}
                for i in range(start, min(n_prospects, start + 20_000))])
        prospect_ids = list(s.scalars(select(Prospect.id).where(Prospect.owner_id == rep.id).order_by(Prospect.id)
                                      .limit(n_tasks)))
        enrollment_ids = s.execute(insert(Enrollment).returning(Enrollment.id, sort_by_parameter_order=True), [
            {"prospect_id": pid, "sequence_id": seq.id, "mailbox_id": mailbox.id, "status": EnrollmentStatus.ACTIVE,
             "created_at": now} for pid in prospect_ids]).scalars().all()
        call = seq.steps[1]
        dues = []
        for i in range(len(prospect_ids)):
            bucket = i % 10  # 1 in 10 today, 3 in 10 overdue, the rest upcoming
            if bucket == 0:
                dues.append(now.replace(hour=8, minute=0, second=0, microsecond=0) + timedelta(minutes=rng.randrange(600)))
            elif bucket <= 3:
                dues.append(now - timedelta(days=rng.randint(1, 20)))
            else:
                dues.append(now + timedelta(days=rng.randint(1, 30)))
        run_ids = s.execute(insert(StepRun).returning(StepRun.id, sort_by_parameter_order=True), [
            {"enrollment_id": eid, "step_id": call.id, "position": 2, "mailbox_id": mailbox.id,
             "state": StepRunState.TASK_OPEN, "due_at": due, "attempt": 0, "created_at": now}
            for eid, due in zip(enrollment_ids, dues, strict=True)]).scalars().all()
        task_ids = s.execute(insert(Task).returning(Task.id, sort_by_parameter_order=True), [
            {"type": TaskType.CALL, "status": TaskStatus.OPEN, "owner_id": rep.id, "prospect_id": pid,
             "enrollment_id": eid, "step_run_id": rid, "priority": 1 + (i % 3), "due_at": due,
             "title": f"Call P{pid}", "instructions": "", "created_at": now}
            for i, (pid, eid, rid, due) in enumerate(zip(prospect_ids, enrollment_ids, run_ids, dues, strict=True))]
        ).scalars().all()
        s.execute(insert(Event), [
            {"kind": kind, "occurred_at": now - timedelta(days=d), "prospect_id": pid, "enrollment_id": eid,
             "sequence_id": seq.id, "payload": {}}
            for pid, eid in zip(prospect_ids, enrollment_ids, strict=True) for d, kind in ((9, "enrolled"), (8, "sent"), (3, "opened"))])
        token = create_api_token(s, rep)
        s.commit()
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM ANALYZE"))  # what autovacuum would have done by now on a live database
        return rep.email, token, min(task_ids)


def session_cookie(base: str, email: str) -> str:
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    html = opener.open(f"{base}/login").read().decode()
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)
    data = urllib.parse.urlencode({"email": email, "password": PASSWORD, "csrf_token": token}).encode()
    opener.open(f"{base}/login", data=data).read()
    cookie = next(c for c in jar if c.name == "session")
    return f"session={cookie.value}"


def wrk(args: list[str], script: str, strict: bool = True) -> str:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as f:
        f.write(script)
    out = subprocess.run(["wrk", *args, "-s", f.name], capture_output=True, text=True, check=True).stdout
    os.unlink(f.name)
    result = next(line for line in out.splitlines() if line.startswith("RESULT"))
    if strict and " errors=0 " not in result:  # a failed or refused request is fast and would flatter the figure
        raise SystemExit(f"wrk saw failed requests, so the figures mean nothing: {result}")
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--prospects", type=int, default=100_000)
    parser.add_argument("--tasks", type=int, default=5000)
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1))
    parser.add_argument("--worker-class", default="gthread", help="gthread (the product's setting) or sync")
    parser.add_argument("--seconds", type=int, default=15)
    parser.add_argument("--port", type=int, default=18606)
    parser.add_argument("--database", default=os.environ.get("BENCH_DATABASE", "seq_wt6_bench_tasks"))
    args = parser.parse_args()
    url = fresh_database(args.database)
    app = bench_app(url)
    started = time.perf_counter()
    email, token, first = seed(app, args.prospects, args.tasks)
    print(f"seeded {args.prospects:,} prospects, {args.tasks:,} open tasks in {time.perf_counter() - started:.1f} s")

    env = {**os.environ, "DATABASE_URL": url, "SECRET_KEY": "bench-secret-key-for-the-task-queue",
           "REDIS_URL": os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/6"),
           "SEQUENCER_INSTANCE": tempfile.mkdtemp()}
    gunicorn = subprocess.Popen([str(Path(sys.executable).parent / "gunicorn"), "-c", "python:sequencer.runtime.gunicorn_conf",
                                 "-w", str(args.workers), "-k", args.worker_class,
                                 "-b", f"127.0.0.1:{args.port}", "--log-level", "warning", "wsgi:app"],
                                env=env, cwd=Path(__file__).resolve().parent.parent)
    base = f"http://127.0.0.1:{args.port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{base}/healthz", timeout=1)
                break
            except OSError:
                time.sleep(0.2)
        cookie = session_cookie(base, email)
        warm = ["-t", "2", "-c", "4", "-d", "3s", "-H", f"Cookie: {cookie}", f"{base}/tasks?bucket=today"]
        wrk(warm, LUA_REPORT, strict=False)  # a warm-up on a loaded machine may time out: it only warms
        today = ["-t", "2", "-c", "20", "--timeout", "5s", "-H", f"Cookie: {cookie}", f"{base}/tasks?bucket=today"]
        users = wrk([*today, "-d", f"{4 * args.seconds}s"], LUA_THINK.replace("CONNS_PER_THREAD", "10") + LUA_REPORT)
        print(f"Today page, 20 users (0.5-1.5 s between requests), {args.workers} {args.worker_class} workers: {users}")
        page = [*today, "-d", f"{args.seconds}s"]
        print(f"Today page, 20 connections back to back (saturation): {wrk(page, LUA_REPORT)}")
        single = ["-t", "1", "-c", "1", "-d", "5s", "-H", f"Cookie: {cookie}", f"{base}/tasks?bucket=today"]
        print(f"Today page, one user back to back (no queueing): {wrk(single, LUA_REPORT)}")
        stride = args.tasks // 6  # each of the 4 clients owns a block of tasks, the lone client the rest
        complete = wrk(["-t", "4", "-c", "4", "-d", "8s", "--timeout", "5s", base],
                       LUA_COMPLETE.replace("FIRST", str(first - 1)).replace("STRIDE", str(stride))
                       .replace("TOKEN", token) + LUA_REPORT)
        print(f"Complete a task (API, 4 clients back to back): {complete}")
        alone = wrk(["-t", "1", "-c", "1", "-d", "5s", "--timeout", "5s", base],
                    LUA_COMPLETE.replace("FIRST", str(first - 1 + 4 * stride))
                    .replace("STRIDE", str(args.tasks - 4 * stride)).replace("TOKEN", token) + LUA_REPORT)
        print(f"Complete a task (API, one client): {alone}")
    finally:
        gunicorn.send_signal(signal.SIGTERM)
        gunicorn.wait(timeout=20)


if __name__ == "__main__":
    main()
