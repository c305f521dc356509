"""Ingest a mix of inbound mail on PostgreSQL and print throughput and per-message latency.

    .venv/bin/python bench/inbound.py [--prospects 10000] [--messages 2000]

Each prospect has one enrolment with one email sent; the messages are replies (threaded),
out-of-office answers, hard-bounce DSNs and unmatched mail in a 4:2:1:1 mix, every one stored,
classified, matched and acted on through `sequencer.inbound.service.ingest`.
"""
from __future__ import annotations

import argparse
import random
import statistics
import time
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage

from sqlalchemy import insert, select

from bench._pg import bench_app, fresh_database
from sequencer.demo.pipeline import dsn_bytes
from sequencer.extensions import db
from sequencer.inbound.service import ingest
from sequencer.models import (
    Company,
    Enrollment,
    EnrollmentStatus,
    Mailbox,
    Prospect,
    Role,
    Sequence,
    SequenceStatus,
    Step,
    StepRun,
    StepRunState,
    StepType,
    User,
    Variant,
)

NOW = datetime(2026, 12, 14, 12, 0, tzinfo=UTC)


def _world(s, prospects: int) -> None:
    rep = User(email="rep@example.com", name="Rep", role=Role.REP, password_hash="x")
    s.add(rep)
    s.flush()
    mailbox = Mailbox(email="rita@sequencer.test", name="Rita Rep", owner_id=rep.id)
    seq = Sequence(name="Bench", status=SequenceStatus.ACTIVE, owner_id=rep.id)
    seq.steps = [Step(position=i, type=StepType.AUTO_EMAIL, wait_days=2,
                      variants=[Variant(label="A", subject="Hello", body="Hi")]) for i in (1, 2)]
    company = Company(name="Bench Co", domain="bench.test")
    s.add_all([mailbox, seq, company])
    s.flush()
    step1, step2 = seq.steps
    s.execute(insert(Prospect), [{"email": f"p{i}@bench.test", "email_normalized": f"p{i}@bench.test",
                                  "first_name": "P", "last_name": str(i), "company_id": company.id,
                                  "owner_id": rep.id, "timezone": "Europe/Vilnius", "country": "LT"}
                                 for i in range(prospects)])
    ids = list(s.scalars(select(Prospect.id).order_by(Prospect.id)))
    s.execute(insert(Enrollment), [{"prospect_id": pid, "sequence_id": seq.id, "mailbox_id": mailbox.id,
                                    "status": EnrollmentStatus.ACTIVE, "created_at": NOW - timedelta(days=5)}
                                   for pid in ids])
    enrollments = list(s.scalars(select(Enrollment.id).order_by(Enrollment.id)))
    sent = NOW - timedelta(days=3)
    s.execute(insert(StepRun), [{"enrollment_id": e, "step_id": step1.id, "position": 1, "mailbox_id": mailbox.id,
                                 "variant_id": step1.variants[0].id, "state": StepRunState.SENT, "due_at": sent,
                                 "sent_at": sent, "done_at": sent, "subject": "Hello", "attempt": 0,
                                 "message_id": f"<sr{i}.bench@sequencer.test>", "created_at": sent}
                                for i, e in enumerate(enrollments)])
    s.execute(insert(StepRun), [{"enrollment_id": e, "step_id": step2.id, "position": 2, "mailbox_id": mailbox.id,
                                 "variant_id": step2.variants[0].id, "state": StepRunState.SCHEDULED,
                                 "due_at": NOW + timedelta(days=1), "attempt": 0, "created_at": sent}
                                for e in enrollments])
    s.commit()


def _message(i: int, target: int, kind: str) -> bytes:
    if kind == "bounce":
        p = Prospect(email=f"p{target}@bench.test", email_normalized=f"p{target}@bench.test",
                     company=Company(name="Bench Co", domain="bench.test"))
        return dsn_bytes(p, "rita@sequencer.test", f"<sr{target}.bench@sequencer.test>", NOW)[0]
    msg = EmailMessage()
    msg["From"] = f"P {target} <p{target}@bench.test>" if kind != "unmatched" else f"x{i}@elsewhere.test"
    msg["To"] = "rita@sequencer.test"
    msg["Subject"] = "Re: Hello" if kind == "reply" else "Automatic reply: Hello"
    msg["Message-ID"] = f"<m{i}@client.test>"
    msg["Date"] = "Mon, 14 Dec 2026 10:00:00 +0000"
    if kind != "unmatched":
        msg["In-Reply-To"] = f"<sr{target}.bench@sequencer.test>"
    if kind == "auto_reply":
        msg["Auto-Submitted"] = "auto-replied"
        msg.set_content("I am out of the office until 5 January 2027.")
    else:
        msg.set_content("Sounds interesting, can we talk on Thursday?\n\nOn Mon, Rita wrote:\n> Hi\n")
    return msg.as_bytes()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--prospects", type=int, default=10_000)
    parser.add_argument("--messages", type=int, default=2_000)
    args = parser.parse_args()
    app = bench_app(fresh_database("sequencer_bench_inbound"))
    kinds = ["reply"] * 4 + ["auto_reply"] * 2 + ["bounce", "unmatched"]
    rng = random.Random(7)
    targets = rng.sample(range(args.prospects), args.messages)
    messages = [_message(i, t, kinds[i % len(kinds)]) for i, t in enumerate(targets)]
    with app.app_context():
        _world(db.session, args.prospects)
        latencies = []
        started = time.perf_counter()
        for raw in messages:
            t0 = time.perf_counter()
            ingest(db.session, raw, source="api", now=NOW)
            latencies.append(time.perf_counter() - t0)
        elapsed = time.perf_counter() - started
    latencies.sort()
    p95 = latencies[int(len(latencies) * 0.95)]
    print(f"{args.messages} messages against {args.prospects} prospects in {elapsed:.2f} s: "
          f"{args.messages / elapsed:.0f} msg/s, median {statistics.median(latencies) * 1000:.1f} ms, "
          f"p95 {p95 * 1000:.1f} ms")


if __name__ == "__main__":
    main()
