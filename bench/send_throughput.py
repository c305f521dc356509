"""End-to-end sending throughput: due emails → dispatch → RQ workers → SMTP sink, on PostgreSQL + Redis.

    .venv/bin/python bench/send_throughput.py [--mode queued|operator] [--messages 20000] [--mailboxes 20]
                                              [--workers 2] [--batch 200] [--profile DIR]

Both modes seed personalised emails (persona overrides, A/B variants, company, sender, click and open
tracking) for M SMTP mailboxes pointing at an aiosmtpd sink in its own process and start W long-running
`python -m sequencer worker` processes.

- `queued` (the default): N due first steps written straight in SQL; the script keeps a dispatch job queued
  (as the 15-second cron would, only without the wait) until every email is `sent`.
- `operator`: as an operator runs the product. The N prospects are enrolled through the API
  (`POST /api/v1/sequences/{id}/enrollments`, 1,000 a call), then `sequencer cron` starts and nothing else
  is done: the cron's first dispatch and the passes that follow (a pass or a batch that filled a mailbox's
  batch asks for the next at once) move everything.

Prints, for the run: end to end (N / (last sent_at − first dispatch), messages per second); the raw ceiling
(the same messages, built with `build_message`, re-sent with smtplib over one connection to the same sink)
and the ratio; CPU seconds per message of the workers, PostgreSQL, Redis, the sink (and the cron); worker RSS
at the start, peak and end (flat means no leak). With --profile DIR, py-spy samples every worker and the
script prints inclusive sample shares for the pipeline's stages.
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run as a script: `bench` and `tests` import

import redis  # noqa: E402
from rq import Queue  # noqa: E402
from sqlalchemy import text  # noqa: E402

from bench._pg import bench_app, fresh_database  # noqa: E402
from bench._send_run import Processes, report  # noqa: E402
from bench._send_world import seed_due, seed_world  # noqa: E402
from bench.send_operator import enrol_through_api  # noqa: E402
from sequencer.extensions import db  # noqa: E402
from tests.mail.sink_process import SinkProcess  # noqa: E402


def progress(app) -> tuple[int, int, object, object]:
    """(sent, still to go, first send_started_at, last sent_at) of the first steps."""
    with app.app_context():
        row = db.session.execute(text(
            "SELECT count(*) FILTER (WHERE state = 'sent'), "
            "count(*) FILTER (WHERE state IN ('scheduled', 'sending')), min(send_started_at), max(sent_at) "
            "FROM step_runs WHERE position = 1")).one()
        db.session.rollback()
    return row[0], row[1], row[2], row[3]


def wait_until_sent(app, conn, args, procs: Processes) -> tuple[int, object, int]:
    """Poll until no first step is left; in `queued` mode keep a dispatch job waiting. Returns (sent, last, jobs)."""
    dispatch_q, send_q = Queue("dispatch", connection=conn), Queue("send", connection=conn)
    started, dispatches = time.perf_counter(), 0
    while True:
        if time.perf_counter() - started > args.timeout:
            raise SystemExit("timed out")
        if args.mode == "queued" and len(dispatch_q) == 0 and len(send_q) < 2 * args.workers:
            dispatch_q.enqueue("workers.jobs.dispatch", job_timeout=120, result_ttl=30)
            dispatches += 1
        sent, left, _, last = progress(app)
        procs.sample_rss()
        if not left:
            return sent, last, dispatches
        time.sleep(0.2 if left < 2000 else 1.0)  # the count scans step_runs: poll lightly


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--mode", choices=("queued", "operator"), default="queued")
    parser.add_argument("--messages", type=int, default=20_000)
    parser.add_argument("--mailboxes", type=int, default=20)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--batch", type=int, default=None, help="SEND_BATCH_SIZE (default: the app's, 200)")
    parser.add_argument("--profile", type=Path, default=None, help="py-spy every worker; stacks go here")
    parser.add_argument("--timeout", type=float, default=3600)
    parser.add_argument("--database", default=os.environ.get("BENCH_DATABASE", "sequencer_bench_send"))
    args = parser.parse_args()

    redis_url = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/14")
    os.environ["REDIS_URL"] = redis_url
    url = fresh_database(args.database)
    app = bench_app(url)
    tmp = Path(tempfile.mkdtemp(prefix="bench-send-"))
    conn = redis.Redis.from_url(redis_url)
    conn.flushdb()
    with SinkProcess(tmp / "sink.log") as sink:
        t = time.perf_counter()
        params = seed_world(app, args.messages, args.mailboxes, sink.port)
        if args.mode == "queued":
            seed_due(app, params)
        else:
            enrol_through_api(app, params)
        print(f"[{args.mode}] {args.messages:,} due emails for {args.mailboxes} mailboxes ready in "
              f"{time.perf_counter() - t:.1f} s; load {os.getloadavg()[0]:.2f}")
        env = {**os.environ, "DATABASE_URL": url, "REDIS_URL": redis_url, "SECRET_KEY": "bench",
               "SEQUENCER_INSTANCE": str(tmp / "instance"), "BASE_URL": "https://sequencer.bench"}
        if args.batch:
            env["SEND_BATCH_SIZE"] = str(args.batch)
        with Processes(env, tmp, args.workers, conn, sink, args.database, profile=args.profile) as procs:
            t0_wall = time.time()
            if args.mode == "operator":
                procs.start_cron()
            sent, last, dispatches = wait_until_sent(app, conn, args, procs)
            procs.finish()
        report(app, args, sink, procs, sent=sent, elapsed=last.timestamp() - t0_wall, dispatches=dispatches)


if __name__ == "__main__":
    main()
