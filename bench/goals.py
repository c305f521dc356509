"""Goals on PostgreSQL at scale: a goal's plan with measured rates, the KPI answer, pacing for 50 reps.

    PYTHONPATH=. .venv/bin/python bench/goals.py [--events 1000000] [--enrolments 100000] [--deals 5000] [--reps 50]

Rows go in with INSERT ... SELECT generate_series (a few seconds): prospects owned round-robin by the
reps, one enrolment each, events over the past year (half sends, then opens, replies, meetings, clicks),
completed call tasks, and deals with their stage history (won, lost at some stage, or open). Each timing
is the best of three warm runs, plus the first (cold) run.
"""
from __future__ import annotations

import argparse
import os
import time
from datetime import UTC, date, datetime

from sqlalchemy import select, text
from sqlalchemy.engine import make_url

from bench._pg import DEFAULT_ADMIN_URL, bench_app, fresh_database
from sequencer.extensions import db
from sequencer.goals import kpis, pace as paces, plan as plans
from sequencer.goals.service import create_goal
from sequencer.models import Goal, Role, Sequence, User
from sequencer.platform import clock

NOW = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)
RANKS = "(VALUES (0,'prospecting'),(1,'qualification'),(2,'needs_analysis'),(3,'proposal'),(4,'negotiation'),(5,'closed_won')) s(rank, stage)"

BULK = [
    """INSERT INTO prospects (email, email_normalized, first_name, last_name, status, fields, created_at, updated_at,
                              owner_id, score_fit, score_engagement, sales_ready, sales_ready_crossings, score_decay_steps)
       SELECT 'p' || g || '@bench.example', 'p' || g || '@bench.example', 'P', g::text, 'active', '{}', :now, :now,
              (:reps)[1 + g % :nreps], 0, 0, false, 0, 0 FROM generate_series(1, :enrolments) g""",
    """INSERT INTO enrollments (prospect_id, sequence_id, status, created_at)
       SELECT id, :seq, 'active', :now - (id % 300) * interval '1 day' FROM prospects""",
    """INSERT INTO events (kind, occurred_at, prospect_id, payload)
       SELECT CASE WHEN g % 100 < 50 THEN 'sent' WHEN g % 100 < 75 THEN 'opened' WHEN g % 100 < 83 THEN 'replied'
                   WHEN g % 100 < 85 THEN 'meeting_booked' ELSE 'clicked' END,
              :now - (g % 365) * interval '1 day' - (g % 1440) * interval '1 minute',
              :pmin + (g::bigint * 7919) % :enrolments, '{}'
       FROM generate_series(1, :events) g""",
    """INSERT INTO tasks (type, status, priority, due_at, title, instructions, created_at, completed_at, owner_id,
                         prospect_id, outcome)
       SELECT 'call', 'done', 2, :now - (g % 200) * interval '1 day', 'Call', '', :now - (g % 200) * interval '1 day',
              :now - (g % 200) * interval '1 day', (:reps)[1 + g % :nreps], :pmin + (g::bigint * 31) % :enrolments, 'connected'
       FROM generate_series(1, :enrolments / 2) g""",
    """INSERT INTO opportunities (name, prospect_id, owner_id, stage, amount, currency, bant, created_at, updated_at,
                                 closed_at)
       SELECT 'Deal ' || g, :pmin + (g * 17) % :enrolments, (:reps)[1 + g % :nreps],
              CASE WHEN g % 10 < 3 THEN 'closed_won' WHEN g % 10 < 6 THEN 'closed_lost'
                   ELSE (ARRAY['prospecting','qualification','needs_analysis','proposal','negotiation'])[1 + g % 5] END,
              10000 + (g % 20) * 1000, 'EUR', '{}', :now - (g % 365) * interval '1 day', :now,
              CASE WHEN g % 10 < 6 THEN :now - (g % 365) * interval '1 day' + (10 + g % 80) * interval '1 day' END
       FROM generate_series(1, :deals) g""",
    f"""INSERT INTO stage_changes (opportunity_id, from_stage, to_stage, changed_at)
       SELECT o.id, NULL, s.stage, o.created_at + s.rank * interval '1 day' FROM opportunities o, {RANKS}
       WHERE s.rank <= CASE o.stage WHEN 'closed_won' THEN 5 WHEN 'closed_lost' THEN o.id % 5
                        WHEN 'prospecting' THEN 0 WHEN 'qualification' THEN 1 WHEN 'needs_analysis' THEN 2
                        WHEN 'proposal' THEN 3 ELSE 4 END
         AND (s.rank < 5 OR o.stage = 'closed_won')""",
    """INSERT INTO stage_changes (opportunity_id, from_stage, to_stage, changed_at)
       SELECT id, NULL, 'closed_lost', closed_at FROM opportunities WHERE stage = 'closed_lost'""",
]


def _time(label: str, fn, runs: int = 3) -> float:
    times = []
    for _ in range(runs + 1):  # the first is the cold run
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    best = min(times[1:])
    print(f"{label:<44} cold {times[0] * 1000:7.0f} ms   best {best * 1000:7.0f} ms")
    return best


def _seed(s, args) -> User:
    manager = User(email="manager@bench.example", name="Manager", role=Role.MANAGER, password_hash="x")
    reps = [User(email=f"rep{i}@bench.example", name=f"Rep {i}", role=Role.REP, password_hash="x")
            for i in range(args.reps)]
    seq = Sequence(name="Bench", created_at=NOW, updated_at=NOW)
    s.add_all([manager, *reps, seq])
    s.flush()
    started = time.perf_counter()
    params = {"now": NOW, "reps": [r.id for r in reps], "nreps": args.reps, "seq": seq.id, "events": args.events,
              "enrolments": args.enrolments, "deals": args.deals}
    for statement in BULK:
        if ":pmin" in statement:
            params["pmin"] = s.scalar(text("SELECT min(id) FROM prospects"))
        s.execute(text(statement), params)
    s.commit()
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("VACUUM ANALYZE"))  # what autovacuum would have done: visibility map and statistics
    counts = {t: s.scalar(text(f"SELECT count(*) FROM {t}")) for t in  # noqa: S608 (fixed names)
              ("prospects", "enrollments", "events", "tasks", "opportunities", "stage_changes")}
    print(f"seeded in {time.perf_counter() - started:.1f} s: {counts}")
    return manager


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--enrolments", type=int, default=100_000)
    parser.add_argument("--deals", type=int, default=5_000)
    parser.add_argument("--reps", type=int, default=50)
    parser.add_argument("--reuse", action="store_true", help="time the database a previous run left")
    args = parser.parse_args()
    name = os.environ.get("BENCH_DB", "sequencer_bench_goals")
    url = make_url(DEFAULT_ADMIN_URL).set(database=name).render_as_string(hide_password=False)
    app = bench_app(url if args.reuse else fresh_database(name))
    with app.app_context(), clock.frozen(NOW):
        s = db.session
        goal = s.scalars(select(Goal)).first() if args.reuse else None
        if goal is None:
            manager = _seed(s, args)
            goal = create_goal(s, manager, {"name": "2027", "period_start": date(2027, 1, 1),
                                            "period_end": date(2027, 12, 31), "target_amount": 6_000_000}, NOW)
            s.commit()
        plan = plans.build(s, goal, NOW)
        print(f"plan: {plan.deals:.0f} deals, first contacts {plan.need['first_contacts'].as_dict()}, "
              f"{sum(r.source == 'measured' for r in plan.rates.values())}/{len(plan.rates)} rates measured, "
              f"cycle {plan.cycle_days.value:.0f} days, {len(plan.reps)} reps")
        _time("goal plan with measured rates (<= 500 ms)", lambda: plans.build(s, goal, NOW))
        query = kpis.KpiQuery(date(2026, 1, 1), NOW.date())
        _time("KPIs for the year so far (<= 1 s)", lambda: kpis.kpis(s, query))
        _time("pacing for 50 reps, plan included (<= 2 s)", lambda: paces.compute(s, plans.build(s, goal, NOW)))
        _time("pacing for 50 reps, given the plan", lambda: paces.compute(s, plan))


if __name__ == "__main__":
    main()
