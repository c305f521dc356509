"""Webhook delivery numbers on PostgreSQL with one deliverer and local receivers (each in its own process).

    .venv/bin/python bench/webhooks.py [--fast 20000] [--backlog 50000] [--slow-events 500]

1. fast: N events to one fast receiver → deliveries per second (fan-out + signing + HTTP + logging + commits);
2. slow isolation: a receiver answering in 5 s beside a fast one → the fast one's rate, and how long one
   deliverer pass holds the worker (what the sending queue would wait at most);
3. backlog: N events queued while the receiver is down (one refused attempt pauses the endpoint), then it
   comes back → all delivered, exactly once per webhook-id at the receiver.
The deliverer is the `workers.jobs.webhooks_pump` job's body (`sequencer.webhooks.pump.pump`) run in a loop.
"""
from __future__ import annotations

import argparse
import json
import socket
import subprocess
import sys
import time
import urllib.request
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import func, select, update  # noqa: E402

from bench._pg import bench_app, fresh_database  # noqa: E402
from sequencer.extensions import db  # noqa: E402
from sequencer.models import Prospect, Role, User, WebhookAttempt, WebhookDelivery, WebhookEndpoint  # noqa: E402
from sequencer.platform import clock  # noqa: E402
from sequencer.webhooks import endpoints  # noqa: E402
from sequencer.webhooks.drain import DrainSettings, settings_from  # noqa: E402
from sequencer.webhooks.pump import pump  # noqa: E402

_n = iter(range(10**9))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_receiver(port: int, secret: str, sleep: float = 0.0) -> subprocess.Popen:
    proc = subprocess.Popen([sys.executable, str(Path(__file__).with_name("webhook_receiver.py")), "--port",
                             str(port), "--secret", secret, "--sleep", str(sleep)])
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/stats", timeout=1)
            return proc
        except OSError:
            time.sleep(0.05)
    raise RuntimeError("receiver did not start")


def stats(port: int) -> dict:
    return json.loads(urllib.request.urlopen(f"http://127.0.0.1:{port}/stats", timeout=5).read())


def add_endpoint(app, owner: User, port: int) -> tuple[int, str]:
    s = settings_from(app.config)
    endpoint, secret = endpoints.create(db.session, owner, {"url": f"http://127.0.0.1:{port}/hook",
                                                            "events": ["prospect.*"]}, s.allow, s.box, clock.now())
    db.session.commit()
    return endpoint.id, secret


def write_events(count: int) -> float:
    """`count` prospect.created events, written by the hook in the transactions that add the prospects."""
    started = time.monotonic()
    for start in range(0, count, 1000):
        for _ in range(min(1000, count - start)):
            n = next(_n)
            db.session.add(Prospect(email=f"b{n}@example.com", email_normalized=f"b{n}@example.com"))
        db.session.commit()
    return time.monotonic() - started


def drain_all(settings: DrainSettings, until: int, endpoint_ids: list[int], limit_s: float = 900) -> tuple[float, float]:
    """Run passes until `until` deliveries are delivered for the endpoints; (seconds, longest pass)."""
    started, longest = time.monotonic(), 0.0
    while time.monotonic() - started < limit_s:
        t0 = time.monotonic()
        pump(db.engine, settings)
        longest = max(longest, time.monotonic() - t0)
        done = db.session.scalar(select(func.count()).select_from(WebhookDelivery).where(
            WebhookDelivery.endpoint_id.in_(endpoint_ids), WebhookDelivery.status == "delivered"))
        db.session.commit()
        if done >= until:
            break
    return time.monotonic() - started, longest


def reset(endpoint_ids: list[int]) -> None:
    db.session.execute(update(WebhookEndpoint).where(WebhookEndpoint.id.in_(endpoint_ids)).values(enabled=False))
    db.session.commit()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--fast", type=int, default=20000)
    parser.add_argument("--backlog", type=int, default=50000)
    parser.add_argument("--slow-events", type=int, default=500)
    args = parser.parse_args()
    app = bench_app(fresh_database("seq_bench_webhooks"))
    app.config["WEBHOOK_ALLOWED_PRIVATE"] = "127.0.0.1"
    with app.app_context():
        owner = User(email="owner@example.com", name="Owner", role=Role.MANAGER, password_hash="x")
        db.session.add(owner)
        db.session.commit()
        base = settings_from(app.config)
        settings = DrainSettings(box=base.box, allow=base.allow, budget=timedelta(seconds=10))
        procs = []
        try:
            # 1. fast receiver
            port = free_port()
            fast_id, secret = add_endpoint(app, owner, port)
            procs.append(start_receiver(port, secret))
            wrote = write_events(args.fast)
            seconds, _ = drain_all(settings, args.fast, [fast_id])
            s = stats(port)
            print(f"fast: {args.fast} events written in {wrote:.1f} s; delivered {s['verified']} "
                  f"({s['distinct']} distinct ids, {s['bad_signature']} bad signatures) in {seconds:.1f} s "
                  f"= {s['verified'] / seconds:.0f} deliveries/s")
            reset([fast_id])

            # 2. slow receiver beside a fast one
            slow_port, fast_port = free_port(), free_port()
            slow_id, slow_secret = add_endpoint(app, owner, slow_port)
            fast2_id, fast2_secret = add_endpoint(app, owner, fast_port)
            procs.append(start_receiver(slow_port, slow_secret, sleep=5.0))
            procs.append(start_receiver(fast_port, fast2_secret))
            write_events(args.slow_events)
            seconds, longest = drain_all(settings, args.slow_events, [fast2_id])
            print(f"slow isolation: fast endpoint got {stats(fast_port)['verified']}/{args.slow_events} in "
                  f"{seconds:.1f} s ({stats(fast_port)['verified'] / seconds:.0f}/s) while the 5 s receiver got "
                  f"{stats(slow_port)['verified']}; longest deliverer pass {longest:.1f} s")
            reset([slow_id, fast2_id])

            # 3. backlog while the receiver is down
            down_port = free_port()
            down_id, down_secret = add_endpoint(app, owner, down_port)
            wrote = write_events(args.backlog)
            pump(db.engine, settings)
            attempts = db.session.scalar(select(func.count()).select_from(WebhookAttempt).join(WebhookDelivery)
                                         .where(WebhookDelivery.endpoint_id == down_id))
            paused = db.session.get(WebhookEndpoint, down_id).paused_until
            print(f"backlog: {args.backlog} events written in {wrote:.1f} s while down; {attempts} attempt(s) "
                  f"made, endpoint paused until {paused}")
            procs.append(start_receiver(down_port, down_secret))
            db.session.execute(update(WebhookEndpoint).where(WebhookEndpoint.id == down_id).values(paused_until=None))
            db.session.execute(update(WebhookDelivery).where(WebhookDelivery.endpoint_id == down_id)
                               .values(next_attempt_at=clock.now()))  # "it comes back": the retry time arrives
            db.session.commit()
            seconds, _ = drain_all(settings, args.backlog, [down_id])
            s = stats(down_port)
            print(f"backlog: receiver back → {s['verified']} deliveries, {s['distinct']} distinct webhook-ids of "
                  f"{args.backlog} events in {seconds:.1f} s ({s['verified'] / seconds:.0f}/s); "
                  f"duplicates: {s['verified'] - s['distinct']}")
        finally:
            for p in procs:
                p.terminate()


if __name__ == "__main__":
    main()
