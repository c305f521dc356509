"""Lead scoring on PostgreSQL: ingest + score rate, event-to-hand-off latency with a worker running, decay
and re-score over many prospects, memory. Prints the numbers.

    .venv/bin/python -m bench.scoring [--prospects 100000] [--ingest 20000] [--latency 30]

1. `--ingest` activities in batches of 1,000 through `ingest.receive` (store, score, hand off), committed.
2. A real `sequencer worker` process runs; for `--latency` prospects an email reply (an own event) is
   committed and we wait for the hand-off task the worker makes; plus the same through POST /api/v1/activities.
3. Every prospect gets a demo request 40 days ago (bulk insert), the rules change, and all are re-scored.
4. One decay pass over all of them (each is one idle period in).
Peak RSS of this process is printed after each phase (flat = bounded by the chunk size, not the row count).
"""
from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta

import psutil
from sqlalchemy import func, select

from bench._pg import bench_app, fresh_database
from sequencer.extensions import db
from sequencer.models import Activity, Event, Prospect, Role, Task, User
from sequencer.models.tasks import TaskType
from sequencer.platform import clock
from sequencer.scoring import config, decay, ingest, rescore
from sequencer.scoring.sql import insert_many

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
ZONES = ["Europe/Vilnius", "Europe/Berlin", "America/New_York", "Asia/Tokyo", None]
KINDS = ["page_view", "page_view", "content_download", "webinar_attended", "demo_requested", "custom"]


def rss_mb() -> float:
    return psutil.Process().memory_info().rss / 2**20


def seed(s, n: int) -> list[int]:
    owners = [User(email=f"rep{i}@example.com", name=f"Rep {i}", role=Role.REP, password_hash="x") for i in range(10)]
    s.add_all(owners)
    s.flush()
    for start in range(0, n, 10000):
        insert_many(s, Prospect, [{"email": f"p{i}@bench.example", "email_normalized": f"p{i}@bench.example",
                                   "first_name": "P", "last_name": str(i), "owner_id": owners[i % 10].id,
                                   "timezone": ZONES[i % 5], "fields": {}, "status": "active", "created_at": NOW,
                                   "updated_at": NOW} for i in range(start, min(n, start + 10000))])
    s.commit()
    return list(s.scalars(select(Prospect.id).order_by(Prospect.id)))


def bench_ingest(s, ids: list[int], total: int, rng: random.Random) -> float:
    started = time.perf_counter()
    for b in range(total // 1000):
        items = [{"prospect_id": rng.choice(ids), "kind": k, "occurred_at": (NOW - timedelta(hours=rng.randint(1, 900)))
                  .isoformat(), "external_id": f"b{b}-{i}", "properties": {"url": f"https://x.example/{rng.choice(['pricing', 'blog', 'docs'])}"}}
                 for i, k in enumerate(rng.choice(KINDS) for _ in range(1000))]
        ingest.receive(s, items, NOW)
        s.commit()
    return total / (time.perf_counter() - started)


def _wait_for_task(s, pid: int, timeout: float = 30.0) -> float | None:
    started = time.perf_counter()
    while time.perf_counter() - started < timeout:
        s.rollback()
        if s.scalar(select(Task.id).where(Task.prospect_id == pid, Task.type == TaskType.SALES_READY)):
            return time.perf_counter() - started
        time.sleep(0.02)
    return None


def p95(values: list[float]) -> float:
    return sorted(values)[max(0, int(len(values) * 0.95) - 1)]


def bench_latency(app, s, ids: list[int], n: int, url: str) -> tuple[list[float], list[float]]:
    """Own event (reply) → worker scores → hand-off task; and the API path, with the worker running."""
    data = config.current(s).as_dict()
    data["rules"].append({"key": "replied", "kind": "email_replied", "points": 60, "label": "replied"})
    config.save(s, data, s.scalars(select(User)).first())
    s.commit()
    env = {**os.environ, "DATABASE_URL": url, "SECRET_KEY": "bench", "REDIS_URL": app.config["REDIS_URL"]}
    worker = subprocess.Popen([sys.executable, "-m", "sequencer", "worker"], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(4)
    own, api = [], []
    try:
        cold = list(s.scalars(select(Prospect.id).where(Prospect.score_engagement == 0, Prospect.sales_ready.is_(False))
                              .order_by(Prospect.id).limit(2 * n)))
        for pid in cold[:n]:
            s.add(Event(kind="replied", occurred_at=clock.now(), prospect_id=pid))
            started = time.perf_counter()
            s.commit()
            waited = _wait_for_task(s, pid)
            own.append((time.perf_counter() - started) if waited is not None else float("inf"))
        client = app.test_client()
        from sequencer.accounts.tokens import create_api_token
        token = create_api_token(s, s.scalars(select(User)).first())
        s.commit()
        for pid in cold[n:]:
            started = time.perf_counter()
            client.post("/api/v1/activities", headers={"Authorization": f"Bearer {token}"}, json={"activities": [
                {"prospect_id": pid, "kind": "demo_requested", "occurred_at": clock.now().isoformat()},
                {"prospect_id": pid, "kind": "webinar_attended", "occurred_at": clock.now().isoformat()},
                {"prospect_id": pid, "kind": "content_download", "occurred_at": clock.now().isoformat()}]})
            waited = _wait_for_task(s, pid)
            api.append((time.perf_counter() - started) if waited is not None else float("inf"))
    finally:
        worker.terminate()
        worker.wait(10)
    return own, api


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--prospects", type=int, default=100_000)
    parser.add_argument("--ingest", type=int, default=20_000)
    parser.add_argument("--latency", type=int, default=30)
    args = parser.parse_args()
    rng = random.Random(16)
    url = fresh_database(os.environ.get("BENCH_DB", "sequencer_bench_scoring"))
    app = bench_app(url)
    with app.app_context():
        s = db.session
        t = time.perf_counter()
        ids = seed(s, args.prospects)
        print(f"{len(ids):,} prospects seeded in {time.perf_counter() - t:.1f} s; RSS {rss_mb():.0f} MB")
        with clock.frozen(NOW):
            rate = bench_ingest(s, ids, args.ingest, rng)
        print(f"ingest + score: {rate:,.0f} activities/s over {args.ingest:,}; hand-offs "
              f"{s.scalar(select(func.count(Task.id)))}; RSS {rss_mb():.0f} MB")
        own, api = bench_latency(app, s, ids, args.latency, url)
        print(f"event → hand-off task with a worker: own event (reply) p95 {p95(own):.2f} s, max {max(own):.2f} s; "
              f"POST /activities p95 {p95(api):.3f} s")
        t = time.perf_counter()
        for start in range(0, len(ids), 10000):
            insert_many(s, Activity, [{"prospect_id": pid, "kind": "demo_requested", "occurred_at": NOW - timedelta(days=40),
                                          "properties": {}, "source": "api", "created_at": NOW}
                                         for pid in ids[start:start + 10000]])
        s.commit()
        print(f"bulk-loaded {len(ids):,} more activities in {time.perf_counter() - t:.1f} s")
        data = config.current(s).as_dict()
        data["rules"][3]["points"] = 30  # demo requests are worth more now
        with clock.frozen(NOW):
            rules = config.save(s, data, s.scalars(select(User)).first())
            s.commit()
            t = time.perf_counter()
            outcome = rescore.rescore_all(s, NOW, rules, commit=s.commit)
            print(f"re-score {len(ids):,} prospects after a rule change: {time.perf_counter() - t:.1f} s "
                  f"({outcome.lines:,} ledger lines, {len(outcome.crossed)} new sales-ready); RSS {rss_mb():.0f} MB")
            t = time.perf_counter()
            again = rescore.rescore_all(s, NOW, rules, commit=s.commit)
            print(f"re-score again (idempotent): {time.perf_counter() - t:.1f} s, {again.lines} lines")
            t = time.perf_counter()
            result = decay.run(s, NOW)
            s.commit()
            print(f"decay over {result['checked']:,} idle prospects: {time.perf_counter() - t:.1f} s "
                  f"({result['prospects']:,} decayed); RSS {rss_mb():.0f} MB")
        bad = s.scalar(select(func.count()).select_from(Prospect).where(Prospect.score_engagement < 0))
        print(f"peak RSS {psutil.Process().memory_info().rss / 2**20:.0f} MB; negative scores: {bad}")


if __name__ == "__main__":
    main()
