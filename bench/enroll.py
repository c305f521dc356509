"""Enrol 10,000 prospects in one API call on PostgreSQL; prints the wall time (target: < 5 s).

    .venv/bin/python bench/enroll.py [--prospects 10000]
"""
from __future__ import annotations

import argparse
import time

from sqlalchemy import insert, text

from bench._pg import bench_app, fresh_database
from sequencer.accounts.tokens import create_api_token
from sequencer.extensions import db
from sequencer.models import Mailbox, Prospect, Role, Sequence, SequenceStatus, Step, StepType, User, Variant

ZONES = [("Europe/Vilnius", "LT"), ("Europe/Berlin", "DE"), ("America/New_York", "US"),
         ("America/Los_Angeles", "US"), (None, None)]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--prospects", type=int, default=10_000)
    args = parser.parse_args()
    app = bench_app(fresh_database("sequencer_bench_enroll"))
    with app.app_context():
        s = db.session
        rep = User(email="rep@example.com", name="Rep", role=Role.REP, password_hash="x")
        s.add(rep)
        s.flush()
        s.add(Mailbox(email="rep@sequencer.test", owner_id=rep.id))
        seq = Sequence(name="Bench", status=SequenceStatus.ACTIVE)
        seq.steps = [Step(position=1, type=StepType.AUTO_EMAIL, variants=[
            Variant(label="A", subject="Hi {{ prospect.first_name }}", body="b"),
            Variant(label="B", subject="Hello {{ prospect.first_name }}", body="b")]),
            Step(position=2, type=StepType.CALL, wait_days=2)]
        s.add(seq)
        s.execute(insert(Prospect), [
            {"email": f"p{i}@bench.example", "email_normalized": f"p{i}@bench.example", "first_name": f"P{i}",
             "last_name": "Bench", "timezone": ZONES[i % 5][0], "country": ZONES[i % 5][1], "owner_id": rep.id,
             "fields": {}} for i in range(args.prospects)])
        token = create_api_token(s, rep)
        s.commit()
        ids = list(s.scalars(text("SELECT id FROM prospects ORDER BY id")))
        seq_id = seq.id

    client = app.test_client()
    started = time.perf_counter()
    res = client.post(f"/api/v1/sequences/{seq_id}/enrollments", json={"prospect_ids": ids},
                      headers={"Authorization": f"Bearer {token}"})
    elapsed = time.perf_counter() - started
    assert res.status_code == 201, res.json
    print(f"enrolled {len(res.json['enrolled'])} prospects (skipped {len(res.json['skipped'])}) "
          f"in one API call: {elapsed:.2f} s ({len(ids) / elapsed:,.0f} prospects/s)")


if __name__ == "__main__":
    main()
