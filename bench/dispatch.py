"""A dispatch pass over 1,000,000 scheduled step runs of which 1,000 are due (target: < 100 ms).

Prints the due-selection query time and its plan, a dry-run pass, and a full pass that opens
1,000 call tasks. Data is generated in SQL (generate_series) to keep set-up short.

    .venv/bin/python bench/dispatch.py [--runs 1000000] [--due 1000]
"""
from __future__ import annotations

import argparse
import statistics
import time
from datetime import UTC, datetime

from sqlalchemy import text

from bench._pg import bench_app, fresh_database
from sequencer.extensions import db
from sequencer.outreach.dispatch import due_step_runs, run_pass

NOW = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)

SETUP = """
INSERT INTO users (email, name, role, password_hash, timezone, active, created_at)
  VALUES ('rep@example.com', 'Rep', 'rep', 'x', 'Europe/Vilnius', true, now());
INSERT INTO sequences (name, description, status, schedule, exit_on_reply, track_opens, track_clicks,
                       created_at, updated_at)
  VALUES ('Bench', '', 'active', '{"days":["mon","tue","wed","thu","fri"],"window_start":"00:00",
          "window_end":"23:59","holidays": null,"fallback_timezone":"UTC"}', true, false, false, now(), now());
INSERT INTO steps (sequence_id, position, type, wait_days, instructions, thread, created_at)
  SELECT 1, p, 'call', 0, 'call them', false, now() FROM generate_series(1, 4) p;
INSERT INTO prospects (email, email_normalized, first_name, last_name, status, fields, owner_id,
                       created_at, updated_at)
  SELECT 'p' || i || '@bench.example', 'p' || i || '@bench.example', 'P' || i, 'Bench', 'active', '{}', 1,
         now(), now() FROM generate_series(1, :enrollments) i;
INSERT INTO enrollments (prospect_id, sequence_id, status, created_at)
  SELECT i, 1, 'active', now() FROM generate_series(1, :enrollments) i;
INSERT INTO step_runs (enrollment_id, step_id, position, state, due_at, attempt, created_at)
  SELECT e, p, p, 'scheduled',
         CASE WHEN (e - 1) * 4 + p <= :due THEN TIMESTAMP '2026-12-01 09:00' - ((e * 4 + p) || ' seconds')::interval
              ELSE TIMESTAMP '2027-01-01 00:00' + (((e * 4 + p) % 100000) || ' minutes')::interval END,
         0, now()
  FROM generate_series(1, :enrollments) e, generate_series(1, 4) p;
ANALYZE;
"""


def timed(fn, repeat: int = 5) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000, result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=1_000_000)
    parser.add_argument("--due", type=int, default=1_000)
    args = parser.parse_args()
    app = bench_app(fresh_database("sequencer_bench_dispatch"))
    with app.app_context():
        s = db.session
        started = time.perf_counter()
        for statement in filter(str.strip, SETUP.split(";\n")):
            s.execute(text(statement), {"enrollments": args.runs // 4, "due": args.due})
        s.commit()
        total = s.scalar(text("SELECT count(*) FROM step_runs"))
        print(f"set-up: {total:,} step runs in {time.perf_counter() - started:.1f} s")

        plan = s.execute(text("EXPLAIN SELECT id FROM step_runs WHERE state = 'scheduled' AND due_at <= :now "
                              "ORDER BY due_at LIMIT 1000"), {"now": NOW.replace(tzinfo=None)}).scalars().all()
        print("plan:", plan[0].strip(), "|", " ".join(p.strip() for p in plan[1:3]))

        raw = text("SELECT id FROM step_runs WHERE state = 'scheduled' AND due_at <= :now ORDER BY due_at LIMIT 1000")
        ms, ids = timed(lambda: s.execute(raw, {"now": NOW.replace(tzinfo=None)}).scalars().all())
        print(f"due selection (index only, ids): {len(ids)} rows in {ms:.1f} ms")

        def select_due():
            rows = due_step_runs(s, NOW)
            s.rollback()
            return rows

        ms, rows = timed(select_due)
        print(f"due selection (ORM, with prospect/sequence joined): {len(rows)} rows in {ms:.1f} ms")
        ms, result = timed(lambda: (run_pass(s, NOW, dry_run=True), s.rollback())[0])
        print(f"dry-run pass: {len(result['actions'])} actions in {ms:.1f} ms")
        start = time.perf_counter()
        result = run_pass(s, NOW)
        s.commit()
        print(f"full pass: {result} in {(time.perf_counter() - start) * 1000:.1f} ms (opens a task per due call)")
        ms, result = timed(lambda: (run_pass(s, NOW), s.commit())[0])
        print(f"next pass with nothing due: {result} in {ms:.1f} ms")


if __name__ == "__main__":
    main()
