"""What one Prometheus scrape costs the database: the scrape-time figures over 1,000,000 step runs of which
a fifth are sent, with 1,000 due (target: < 250 ms, so a 15 s scrape interval is cheap).

    .venv/bin/python -m bench.metrics_scrape [--runs 1000000]
"""
from __future__ import annotations

import argparse
import time
from datetime import UTC, datetime

from prometheus_client import CollectorRegistry, generate_latest
from sqlalchemy import text

from bench._pg import bench_app, fresh_database
from bench.dispatch import timed
from sequencer.extensions import db, redis_store
from sequencer.runtime.metrics import StateCollector

NOW = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)
SETUP = """
INSERT INTO users (email, name, role, password_hash, timezone, active, created_at)
  VALUES ('rep@example.com', 'Rep', 'rep', 'x', 'UTC', true, now());
INSERT INTO mailboxes (email, name, transport, smtp_security, daily_limit, min_interval_seconds, status, owner_id,
                       consecutive_failures, created_at)
  SELECT 'm' || i || '@bench.example', 'M', 'outbox', 'none', 500, 0, 'active', 1, 0, now() FROM generate_series(1, 20) i;
INSERT INTO sequences (name, description, status, schedule, exit_on_reply, track_opens, track_clicks,
                       created_at, updated_at)
  VALUES ('Bench', '', 'active', '{"days":["mon"],"window_start":"00:00","window_end":"23:59","holidays": null,
          "fallback_timezone":"UTC"}', true, false, false, now(), now());
INSERT INTO steps (sequence_id, position, type, wait_days, instructions, thread, created_at)
  SELECT 1, p, 'auto_email', 0, '', false, now() FROM generate_series(1, 4) p;
INSERT INTO prospects (email, email_normalized, first_name, last_name, status, fields, owner_id,
                       created_at, updated_at)
  SELECT 'p' || i || '@bench.example', 'p' || i || '@bench.example', 'P', 'B', 'active', '{}', 1, now(), now()
  FROM generate_series(1, :enrollments) i;
INSERT INTO enrollments (prospect_id, sequence_id, status, created_at)
  SELECT i, 1, 'active', now() FROM generate_series(1, :enrollments) i;
INSERT INTO step_runs (enrollment_id, step_id, position, state, due_at, sent_at, mailbox_id, attempt, created_at)
  SELECT e, p, p, CASE WHEN p = 1 THEN 'sent' ELSE 'scheduled' END,
         CASE WHEN p = 2 AND e <= :due THEN TIMESTAMP '2026-12-01 09:00' ELSE TIMESTAMP '2027-01-01 00:00' END,
         CASE WHEN p = 1 THEN TIMESTAMP '2026-11-30 09:00' END, 1 + e % 20, 0, now()
  FROM generate_series(1, :enrollments) e, generate_series(1, 4) p;
ANALYZE;
"""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=1_000_000)
    args = parser.parse_args()
    url = fresh_database("sequencer_bench_metrics")
    app = bench_app(url)
    with app.app_context():
        started = time.perf_counter()
        for statement in filter(str.strip, SETUP.split(";\n")):
            db.session.execute(text(statement), {"enrollments": args.runs // 4, "due": 1000})
        db.session.commit()
        print(f"seeded {args.runs:,} step runs in {time.perf_counter() - started:.1f} s")

        def scrape() -> bytes:
            registry = CollectorRegistry()
            registry.register(StateCollector(db.session, redis_store.connection(), NOW))
            return generate_latest(registry)

        ms, body = timed(scrape)
        lines = [line for line in body.decode().splitlines() if line.startswith("sequencer_due_unsent")]
        print(f"one scrape of the database/Redis figures: {ms:.0f} ms (median of 5); {lines}")


if __name__ == "__main__":
    main()
