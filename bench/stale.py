"""The stale-deal pass and the board's deal list on PostgreSQL with a large pipeline; prints wall times.

    .venv/bin/python bench/stale.py [--deals 2000] [--contacts 5] [--events 20]

Each deal's company has `contacts` prospects with `events` activity events each (sends, replies,
opens); a third of the deals have been quiet for weeks. Measures the first reminder pass (inserts),
a second pass (finds every reminder already there) and `list_deals` as the board calls it.
"""
from __future__ import annotations

import argparse
import os
import random
import time
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, insert, select

from bench._pg import bench_app, fresh_database
from sequencer.deals.board import DealFilters, list_deals
from sequencer.deals.stale import create_reminders
from sequencer.extensions import db
from sequencer.models import Company, Event, Opportunity, Prospect, Role, Stage, Task, User
from sequencer.platform import clock

NOW = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)
OPEN = [Stage.QUALIFICATION, Stage.NEEDS_ANALYSIS, Stage.PROPOSAL, Stage.NEGOTIATION]
KINDS = ["sent", "opened", "replied", "sent", "task_completed", "clicked"]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--deals", type=int, default=2000)
    parser.add_argument("--contacts", type=int, default=5)
    parser.add_argument("--events", type=int, default=20)
    args = parser.parse_args()
    rng = random.Random(8)
    app = bench_app(fresh_database(os.environ.get("BENCH_DB", "sequencer_bench_stale")))
    with app.app_context(), clock.frozen(NOW):
        s = db.session
        owners = [User(email=f"rep{i}@example.com", name=f"Rep {i}", role=Role.REP, password_hash="x",
                       timezone=["Europe/Vilnius", "Europe/Berlin", "America/New_York"][i % 3]) for i in range(10)]
        s.add_all(owners)
        s.flush()
        s.execute(insert(Company), [{"name": f"Company {i}", "domain": f"c{i}.example"} for i in range(args.deals)])
        company_ids = list(s.scalars(select(Company.id).order_by(Company.id)))
        s.execute(insert(Prospect), [
            {"email": f"p{c}-{k}@bench.example", "email_normalized": f"p{c}-{k}@bench.example", "first_name": "P",
             "last_name": str(k), "company_id": cid, "owner_id": owners[c % 10].id, "fields": {}}
            for c, cid in enumerate(company_ids) for k in range(args.contacts)])
        first_contact = dict(s.execute(select(Prospect.company_id, func.min(Prospect.id))
                                      .group_by(Prospect.company_id)).all())
        quiet = set(rng.sample(company_ids, args.deals // 3))
        s.execute(insert(Opportunity), [
            {"name": f"Deal {cid}", "company_id": cid, "prospect_id": first_contact[cid], "owner_id": owners[i % 10].id,
             "stage": OPEN[i % 4], "currency": "EUR", "amount": 10000, "bant": {},
             "created_at": NOW - timedelta(days=60), "updated_at": NOW - timedelta(days=60)}
            for i, cid in enumerate(company_ids)])
        rows = []
        for pid, cid in s.execute(select(Prospect.id, Prospect.company_id)):
            newest = 20 if cid in quiet else 1
            rows += [{"kind": rng.choice(KINDS), "prospect_id": pid, "payload": {},
                      "occurred_at": NOW - timedelta(days=rng.uniform(newest, 60))} for _ in range(args.events)]
        for i in range(0, len(rows), 20000):
            s.execute(insert(Event), rows[i:i + 20000])
        s.commit()
        events = len(rows)

        started = time.perf_counter()
        first = create_reminders(s, NOW)
        s.commit()
        t_first = time.perf_counter() - started
        started = time.perf_counter()
        second = create_reminders(s, NOW + timedelta(minutes=15))
        s.commit()
        t_second = time.perf_counter() - started
        started = time.perf_counter()
        listed = list_deals(s, DealFilters(), NOW)
        t_list = time.perf_counter() - started
        assert s.scalar(select(func.count(Task.id))) == len(first.created) and not second.created
    print(f"{args.deals} open deals, {args.deals * args.contacts} contacts, {events:,} events")
    print(f"first reminder pass: {first.stale} stale, {len(first.created)} reminders in {t_first:.2f} s")
    print(f"second pass (all reminders exist): {t_second:.2f} s; board list of {len(listed)} deals: {t_list:.2f} s")


if __name__ == "__main__":
    main()
