"""The Outbox's pages over a large history on PostgreSQL: Sent (page 1, a middle page, a status filter, a search)
and Scheduled, as a manager sees them (every mailbox).

    PYTHONPATH=. .venv/bin/python bench/outbox.py [--events 600000] [--sequences 40]

Loads with bench/reports.py's generator (1,000 prospects per sequence, four steps, events spread over the
email runs), gives the sent runs a subject, turns a third of the last step's runs back into scheduled
ones, then times each page 10 times through the app (HTML rendered). Target: each under 300 ms.
"""
from __future__ import annotations

import argparse
import statistics
import time

from sqlalchemy import text

from bench._pg import bench_app, fresh_database
from bench.reports import load
from sequencer.extensions import db
from sequencer.models import Role, User
from sequencer.platform.security import hash_password

PAGES = {
    "sent, page 1": "/outbox",
    "sent, page 500": "/outbox?page=500",
    "sent, replied only": "/outbox?status=replied",
    "sent, no response": "/outbox?status=no_response",
    "sent, search": "/outbox?q=p1234%40bench",
    "sent, sorted by subject": "/outbox?sort=subject",
    "scheduled, page 1": "/outbox?view=scheduled",
}


def prepare(s) -> None:
    s.execute(text("UPDATE step_runs SET subject = 'Subject ' || id WHERE state = 'sent'"))
    s.execute(text("""UPDATE step_runs SET state = 'scheduled', sent_at = NULL, subject = NULL,
                      due_at = now() + (id % 500) * interval '1 minute'
                      WHERE position = 4 AND id % 3 = 0"""))
    s.add(User(email="manager@bench.example", name="Manager", role=Role.MANAGER,
               password_hash=hash_password("bench-password-1")))
    s.commit()
    s.execute(text("ANALYZE"))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=600_000)
    parser.add_argument("--sequences", type=int, default=40)
    args = parser.parse_args()
    app = bench_app(fresh_database("sequencer_bench_outbox"))
    app.config.update(WTF_CSRF_ENABLED=False, LOGIN_THROTTLE_ENABLED=False)
    with app.app_context():
        load(db.session, args.events, args.sequences)
        prepare(db.session)
    client = app.test_client()
    assert client.post("/login", data={"email": "manager@bench.example", "password": "bench-password-1"}
                       ).status_code == 302
    for name, path in PAGES.items():
        client.get(path)  # warm up
        took = []
        for _ in range(10):
            started = time.perf_counter()
            res = client.get(path)
            took.append(time.perf_counter() - started)
            assert res.status_code == 200, (path, res.status_code)
        print(f"{name:28} median {statistics.median(took) * 1000:5.0f} ms, worst {max(took) * 1000:5.0f} ms")


if __name__ == "__main__":
    main()
