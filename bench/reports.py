"""The sequence report and the A/B comparison over 1,000,000 events in 100 sequences on PostgreSQL.

    PYTHONPATH=. .venv/bin/python bench/reports.py [--events 1000000] [--sequences 100] [--keep]

Prospects go in through Core (the models' Python defaults apply); enrolments, step runs and events
are generated inside PostgreSQL with generate_series, so loading takes seconds rather than minutes.
Prints the median and worst wall time of `compare` (the variant comparison) and of the whole report
(`GET /api/v1/sequences/{id}/report`: funnel, weeks, holdouts and comparison) over 20 sequences.
Target: each under 1 s.
"""
from __future__ import annotations

import argparse
import statistics
import time
from functools import partial

from sqlalchemy import insert, select, text

from bench._pg import bench_app, fresh_database
from sequencer.accounts.tokens import create_api_token
from sequencer.extensions import db
from sequencer.models import (
    Mailbox,
    Persona,
    Prospect,
    Role,
    Sequence,
    SequenceStatus,
    Step,
    StepType,
    User,
    Variant,
)
from sequencer.reports.comparison import compare
from sequencer.sequences.authoring import load_sequence

PROSPECTS_PER_SEQUENCE = 1000


def load(s, events: int, sequences: int) -> list[int]:
    rep = User(email="rep@example.com", name="Rep", role=Role.REP, password_hash="x")
    s.add(rep)
    s.flush()
    s.add(Mailbox(email="rep@sequencer.test", owner_id=rep.id))
    s.add_all(Persona(key=k, name=k.upper()) for k in ("cfo", "cto", "sales", "ops"))
    for n in range(sequences):
        seq = Sequence(name=f"Bench {n}", status=SequenceStatus.ACTIVE)
        seq.steps = [Step(position=1, type=StepType.AUTO_EMAIL, variants=[
                         Variant(label="A", subject="a", body="a"), Variant(label="B", subject="b", body="b")]),
                     Step(position=2, type=StepType.CALL, wait_days=2),
                     Step(position=3, type=StepType.AUTO_EMAIL, wait_days=2, thread=True,
                          variants=[Variant(label="A", subject="", body="bump")]),
                     Step(position=4, type=StepType.AUTO_EMAIL, wait_days=3,
                          variants=[Variant(label="A", subject="last", body="x"), Variant(label="B", subject="l", body="y"),
                                    Variant(label="C", subject="c", body="z")])]
        s.add(seq)
    s.flush()
    persona_ids = [p for (p,) in s.execute(text("SELECT id FROM personas ORDER BY id"))]
    total = PROSPECTS_PER_SEQUENCE * sequences
    s.execute(insert(Prospect), [
        {"email": f"p{i}@bench.example", "email_normalized": f"p{i}@bench.example", "first_name": f"P{i}",
         "last_name": "Bench", "persona_id": persona_ids[i % 5] if i % 5 < 4 else None, "fields": {}}
        for i in range(total)])
    s.commit()
    started = time.perf_counter()
    # one enrolment per prospect, spread over the sequences
    s.execute(text("""
        INSERT INTO enrollments (prospect_id, sequence_id, status, created_at)
        SELECT p.id, q.id, 'active', now() - interval '90 days'
        FROM (SELECT id, row_number() OVER (ORDER BY id) AS rn FROM prospects) p
        JOIN (SELECT id, row_number() OVER (ORDER BY id) - 1 AS k FROM sequences) q
          ON q.k = p.rn % :n"""), {"n": sequences})
    # a step run for every step of every enrolment; variants picked by enrolment id
    s.execute(text("""
        INSERT INTO step_runs (enrollment_id, step_id, position, variant_id, state, due_at, sent_at, attempt,
                               created_at, holdout)
        SELECT e.id, st.id, st.position,
               (SELECT v.id FROM variants v WHERE v.step_id = st.id ORDER BY v.label
                OFFSET ((e.id / :n) % greatest(1, (SELECT count(*) FROM variants v2 WHERE v2.step_id = st.id))) LIMIT 1),
               CASE WHEN st.type = 'auto_email' THEN 'sent' ELSE 'done' END,
               e.created_at + st.position * interval '3 days', e.created_at + st.position * interval '3 days',
               1, e.created_at, false
        FROM enrollments e JOIN steps st ON st.sequence_id = e.sequence_id"""), {"n": sequences})
    # the events: one `sent` per email run, then outcomes until `events` rows exist
    runs = s.execute(text("""
        CREATE TEMP TABLE email_runs AS
        SELECT r.id, r.enrollment_id, r.step_id, r.variant_id, r.sent_at, e.prospect_id, e.sequence_id,
               row_number() OVER (ORDER BY r.id) AS rn
        FROM step_runs r JOIN enrollments e ON e.id = r.enrollment_id JOIN steps st ON st.id = r.step_id
        WHERE st.type = 'auto_email'""")).rowcount
    s.execute(text("CREATE INDEX ON email_runs (rn)"))
    s.execute(text("""
        INSERT INTO events (kind, occurred_at, prospect_id, enrollment_id, sequence_id, step_id, step_run_id,
                            variant_id, payload)
        SELECT CASE WHEN g.j <= :runs THEN 'sent'
                    ELSE (ARRAY['opened','opened','opened','opened','opened','opened','opened','opened','clicked',
                                'clicked','replied','replied','bounced','unsubscribed','meeting_booked',
                                'soft_bounced'])[(g.j::bigint * 7919 + (g.j / :runs) * 5) % 16 + 1] END,
               r.sent_at + (g.j % 97) * interval '1 hour', r.prospect_id, r.enrollment_id, r.sequence_id,
               r.step_id, r.id, r.variant_id,
               CASE WHEN (g.j::bigint * 7919 + (g.j / :runs) * 5) % 16 IN (10, 11)
                    THEN json_build_object('sentiment', (ARRAY['positive','negative','neutral','referral'])[g.j % 4 + 1])
                    ELSE '{}'::json END
        FROM generate_series(1, :events) AS g(j)
        JOIN email_runs r ON r.rn = (g.j - 1) % :runs + 1"""), {"runs": runs, "events": events})
    s.execute(text("""
        UPDATE enrollments e SET status = 'exited', exit_reason = 'replied'
        WHERE e.id IN (SELECT enrollment_id FROM events WHERE kind = 'replied')"""))
    s.commit()
    s.execute(text("ANALYZE"))
    count = s.scalar(text("SELECT count(*) FROM events"))
    print(f"loaded {count:,} events, {runs:,} email step runs, {total:,} enrolments "
          f"in {time.perf_counter() - started:.1f} s (SQL side)")
    return [i for (i,) in s.execute(text("SELECT id FROM sequences ORDER BY id"))]


def timed(fn) -> float:
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--sequences", type=int, default=100)
    args = parser.parse_args()
    app = bench_app(fresh_database("sequencer_bench_reports"))
    with app.app_context():
        s = db.session
        ids = load(s, args.events, args.sequences)
        token = create_api_token(s, s.scalars(select(User)).first())
        s.commit()
        sample = ids[:: max(1, len(ids) // 20)][:20]
        comparison = []
        for sid in sample:
            seq = load_sequence(s, sid)
            comparison.append(timed(partial(compare, s, seq)))
            s.expire_all()
    client = app.test_client()
    headers = {"Authorization": f"Bearer {token}"}
    client.get(f"/api/v1/sequences/{sample[0]}/report", headers=headers)  # warm up the connection pool
    full = []
    for sid in sample:
        started = time.perf_counter()
        res = client.get(f"/api/v1/sequences/{sid}/report", headers=headers)
        full.append(time.perf_counter() - started)
        assert res.status_code == 200, res.json
    steps = res.json["steps"]
    print(f"one sequence: {steps[0]['sent']:,} sent at step 1, variants "
          f"{[(v['label'], v['sent'], v['replied'], v['prob_best']) for v in steps[0]['variants']]}")
    for name, values in (("variant comparison (compare)", comparison), ("sequence report (API)", full)):
        print(f"{name}: median {statistics.median(values) * 1000:.0f} ms, worst {max(values) * 1000:.0f} ms "
              f"over {len(values)} sequences")


if __name__ == "__main__":
    main()
