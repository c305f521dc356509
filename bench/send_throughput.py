"""End-to-end sending throughput: due emails → dispatch → RQ workers → SMTP sink, on PostgreSQL + Redis.

    .venv/bin/python bench/send_throughput.py [--messages 20000] [--mailboxes 20] [--workers 2]
                                              [--batch 200] [--profile DIR]

Seeds N due first-step emails (personalised: persona overrides, A/B variants, company, sender,
click and open tracking) for M SMTP mailboxes pointing at an aiosmtpd sink in its own process,
starts W `python -m sequencer worker` processes and keeps a dispatch job queued (as the 15-second
cron would, only without the wait) until every email is `sent`. Prints:

- end to end: N / (last sent_at − first dispatch enqueued), in messages per second;
- the raw ceiling: the same messages, already built with `sequencer.mail.mime.build_message`, sent with
  smtplib over one connection to the same sink; and the ratio of the two;
- peak RSS of the worker processes (the long-lived parents and their per-job work-horses);
- CPU seconds spent by the workers, PostgreSQL, the sink and Redis during the run.

With --profile DIR, py-spy samples every worker (and the work-horses it forks) and the script
prints inclusive sample shares for the pipeline's stages; the raw stacks land in DIR.
"""
from __future__ import annotations

import argparse
import contextlib
import os
import smtplib
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run as a script: `bench` and `tests` import

import psutil  # noqa: E402
import redis  # noqa: E402
from rq import Queue, Worker
from sqlalchemy import text

from bench._pg import bench_app, fresh_database
from sequencer.extensions import db
from sequencer.mail.compose import Composed
from sequencer.mail.mime import build_message
from sequencer.models import Mailbox, Persona, Role, Sequence, SequenceStatus, Step, StepType, User, Variant
from sequencer.models.crm import Company
from sequencer.models.mail import SmtpSecurity, Transport
from sequencer.platform import clock
from tests.mail.sink_process import SinkProcess

ROOT = Path(__file__).resolve().parent.parent
ALWAYS_OPEN = {"days": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"], "window_start": "00:00",
               "window_end": "23:59", "holidays": None,
               "fallback_timezone": "Asia/Tokyo" if time.gmtime().tm_hour == 23 else "UTC"}
SUBJECT = "{{ prospect.first_name }}, a question about {{ company.name }}"
BODY = """Hi {{ prospect.first_name }},

I noticed {{ company.name }} is growing its {{ company.industry or "sales" }} team{% if prospect.city %} in {{ prospect.city }}{% endif %}.
Teams like yours use us to cut the time from quote to cash. Here is a two-minute tour: https://bench.example/tour

Would {{ prospect.title or "you" }} be the right person to talk to?

Best,
{{ sender.name }}"""
PERSONA_BODIES = {
    "cfo": ("{{ prospect.first_name }}, closing the books faster at {{ company.name }}",
            "Hi {{ prospect.first_name }},\n\nCFOs at companies like {{ company.name }} close the month 4 days "
            "sooner with us. The numbers: https://bench.example/cfo\n\nWorth 15 minutes?\n\n{{ sender.name }}"),
    "cto": ("", "Hi {{ prospect.first_name }},\n\nOur API and SSO fit {{ company.name }}'s stack; docs at "
                "https://bench.example/docs.\n\n{{ sender.name }}"),
    "head_of_sales": ("More pipeline for {{ company.name }}", ""),
}
FIRST = ["Ona", "Jonas", "Greta", "Lukas", "Marta", "Tomas", "Eglė", "Paulius", "Zoë", "Émile"]
LAST = ["Kazlauskas", "Petrauskaitė", "Schmidt", "Novak", "García", "O'Brien", "Jankauskas", "Müller"]
CITIES = ["Vilnius", "Kaunas", "Berlin", "Warsaw", None]
TITLES = ["CFO", "VP Finance", "CTO", "Head of Sales", None]


def seed(app, messages: int, mailboxes: int, port: int) -> None:
    with app.app_context():
        s = db.session
        owners = [User(email=f"rep{i}@bench.test", name=f"Rep {i}", role=Role.REP, password_hash="x",
                       title="Account Executive", signature=f"Rep {i}\nBench Ltd") for i in range(mailboxes)]
        s.add_all(owners)
        s.flush()
        boxes = [Mailbox(email=f"rep{i}@bench-sender.test", name=f"Rep {i}", owner_id=owners[i].id,
                         transport=Transport.SMTP, smtp_host="127.0.0.1", smtp_port=port,
                         smtp_security=SmtpSecurity.NONE, min_interval_seconds=0, daily_limit=1_000_000)
                 for i in range(mailboxes)]
        personas = [Persona(key=k, name=k.upper()) for k in PERSONA_BODIES]
        companies = [Company(name=f"Company {i}", domain=f"company{i}.bench", industry=["fintech", "logistics", None][i % 3])
                     for i in range(500)]
        s.add_all(boxes + personas + companies)
        overrides = {k: {"subject": subj, "body": body} for k, (subj, body) in PERSONA_BODIES.items()}
        seq = Sequence(name="Bench outbound", status=SequenceStatus.ACTIVE, owner_id=owners[0].id,
                       track_opens=True, track_clicks=True, schedule=ALWAYS_OPEN)
        seq.steps = [Step(position=1, type=StepType.AUTO_EMAIL, variants=[
            Variant(label="A", subject=SUBJECT, body=BODY, by_persona=overrides),
            Variant(label="B", subject="Quick idea for {{ company.name }}", body=BODY, by_persona=overrides)]),
            Step(position=2, type=StepType.CALL, wait_days=2)]
        s.add(seq)
        s.flush()
        params = {"n": messages, "first": FIRST, "last": LAST, "cities": CITIES, "titles": TITLES,
                  "companies": [c.id for c in companies], "personas": [p.id for p in personas] + [None],
                  "owners": [o.id for o in owners], "boxes": [b.id for b in boxes], "seq": seq.id,
                  "step": seq.steps[0].id, "va": seq.steps[0].variants[0].id, "vb": seq.steps[0].variants[1].id,
                  "due": clock.now() - timedelta(minutes=5)}
        s.execute(text("""
            INSERT INTO prospects (email, email_normalized, first_name, last_name, title, company_id, persona_id,
                                   city, owner_id, status, fields, created_at, updated_at)
            SELECT 'p' || i || '@bench.example', 'p' || i || '@bench.example',
                   (CAST(:first AS text[]))[1 + i % 10], (CAST(:last AS text[]))[1 + i % 8],
                   (CAST(:titles AS text[]))[1 + i % 5], (CAST(:companies AS int[]))[1 + i % 500],
                   (CAST(:personas AS int[]))[1 + i % 4], (CAST(:cities AS text[]))[1 + i % 5],
                   (CAST(:owners AS int[]))[1 + i % cardinality(CAST(:owners AS int[]))], 'active', '{}', now(), now()
            FROM generate_series(0, :n - 1) AS i"""), params)
        s.execute(text("""
            INSERT INTO enrollments (prospect_id, sequence_id, mailbox_id, enrolled_by_id, status, created_at)
            SELECT p.id, :seq, (CAST(:boxes AS int[]))[1 + p.id % cardinality(CAST(:boxes AS int[]))],
                   (CAST(:owners AS int[]))[1], 'active', now() FROM prospects p ORDER BY p.id"""), params)
        s.execute(text("""
            INSERT INTO step_runs (enrollment_id, step_id, position, variant_id, mailbox_id, state, due_at, attempt,
                                   created_at)
            SELECT e.id, :step, 1, CASE WHEN e.id % 2 = 0 THEN :va ELSE :vb END, e.mailbox_id, 'scheduled', :due, 0,
                   now() FROM enrollments e ORDER BY e.id"""), params)
        s.commit()
        s.execute(text("ANALYZE"))
        s.commit()


class Sampler(threading.Thread):
    """Peak RSS of the worker parents and of their work-horse children, every 50 ms."""

    def __init__(self, pids: list[int]):
        super().__init__(daemon=True)
        self.procs = [psutil.Process(pid) for pid in pids]
        self.parent_peak = self.horse_peak = self.total_peak = 0
        self.stop = threading.Event()
        self.pg_cpu: dict[int, float] = {}  # per backend, short-lived ones included (forked jobs connect anew)

    def run(self) -> None:
        ticks = 0
        while not self.stop.wait(0.05):
            ticks += 1
            if ticks % 4 == 0:
                for proc in named("postgres"):
                    try:
                        t = proc.cpu_times()
                        self.pg_cpu[proc.pid] = t.user + t.system
                    except psutil.Error:
                        pass
            total = 0
            for proc in self.procs:
                try:
                    rss = proc.memory_info().rss
                    self.parent_peak = max(self.parent_peak, rss)
                    total += rss
                    for child in proc.children(recursive=True):
                        if child.name().startswith("py-spy"):
                            continue
                        crss = child.memory_info().rss
                        self.horse_peak = max(self.horse_peak, crss)
                        total += crss
                except psutil.Error:
                    continue
            self.total_peak = max(self.total_peak, total)


def start_worker(env: dict[str, str], log: Path) -> subprocess.Popen:
    """A `python -m sequencer worker` in its own process group, writing to `log` (the child keeps the file open)."""
    with open(log, "wb") as out:
        return subprocess.Popen([sys.executable, "-m", "sequencer", "worker"], cwd=ROOT, env=env,
                                stdout=out, stderr=subprocess.STDOUT, start_new_session=True)


def cpu_of(procs: list[psutil.Process]) -> float:
    total = 0.0
    for p in procs:
        try:
            t = p.cpu_times()
            total += t.user + t.system + t.children_user + t.children_system
        except psutil.Error:
            pass
    return total


def named(*names: str) -> list[psutil.Process]:
    return [p for p in psutil.process_iter(["name"]) if (p.info["name"] or "").startswith(names)]


STAGES = [  # (label, substring of a py-spy frame "function (file)"), inclusive
    ("dispatch pass (run_pass: claims SQL)", "run_pass (sequencer/outreach/dispatch.py"),
    ("send_batch total", "send_batch (sequencer/mail/delivery.py"),
    ("  _load (batch rows)", "_load (sequencer/mail/delivery.py"),
    ("  _recheck (window, suppression query)", "_recheck (sequencer/mail/delivery.py"),
    ("  compose (render + thread + links)", "compose (sequencer/mail/compose.py"),
    ("    render_email (Jinja)", "render_email (sequencer/rendering"),
    ("  build_message (MIME)", "build_message (sequencer/mail/mime.py"),
    ("  SMTP send", "send (sequencer/mail/transports.py"),
    ("  record_sent (UPDATE, event, next step)", "record_sent (sequencer/mail/answers.py"),
    ("    next_run_values (next step)", "next_run_values (sequencer/outreach/enrollment.py"),
    ("  session.commit (all)", "commit (sqlalchemy/orm/session.py"),
    ("  SQL execute round trips (all)", "execute (psycopg/cursor.py"),
    ("app/job set-up (app_context, imports)", "app_context (workers/context.py"),
    ("RQ fork + job bookkeeping (outside the job)", "fork_work_horse"),
]


def summarise_profile(folder: Path) -> None:
    stacks: Counter = Counter()
    for path in folder.glob("*.txt"):
        for line in path.read_text(errors="replace").splitlines():
            stack, _, count = line.rpartition(" ")
            if stack and count.isdigit():
                stacks[stack] += int(count)
    total = sum(stacks.values())
    busy = sum(n for st, n in stacks.items() if "perform_job" in st or "execute_job" in st or "fork" in st)
    print(f"\nprofile: {total} samples over the worker processes (incl. idle waits), {busy} inside jobs")
    for label, needle in STAGES:
        n = sum(c for st, c in stacks.items() if needle in st)
        print(f"  {label:<46} {n:>7}  {100 * n / max(busy, 1):5.1f}% of job samples")
    leaf: Counter = Counter()
    for st, n in stacks.items():
        if "perform_job" in st:
            leaf[st.split(";")[-1]] += n
    print("  top leaf frames inside jobs:")
    for frame, n in leaf.most_common(12):
        print(f"    {n:>6}  {frame[:110]}")


def raw_ceiling(app, port: int, limit: int) -> tuple[float, float, int]:
    """Build `limit` already-sent messages once, then time smtplib over one connection."""
    with app.app_context():
        rows = db.session.execute(text("""
            SELECT r.subject, r.body_html, r.body_text, r.message_id, m.name, m.email, p.first_name, p.last_name,
                   p.email, r.sent_at
            FROM step_runs r JOIN mailboxes m ON m.id = r.mailbox_id JOIN enrollments e ON e.id = r.enrollment_id
            JOIN prospects p ON p.id = e.prospect_id WHERE r.state = 'sent' ORDER BY r.id LIMIT :n"""),
            {"n": limit}).all()
    started = time.perf_counter()
    built = [(r[5], r[8], build_message(Composed(subject=r[0], body_html=r[1], body_text=r[2], missing=[],
                                                 message_id=r[3], from_name=r[4], from_email=r[5],
                                                 to_name=f"{r[6]} {r[7]}", to_email=r[8],
                                                 headers={"List-Unsubscribe": f"<mailto:{r[5]}?subject=unsubscribe>"}),
                                        r[9]))
             for r in rows]
    build_rate = len(built) / (time.perf_counter() - started)
    conn = smtplib.SMTP("127.0.0.1", port)
    conn.ehlo()
    started = time.perf_counter()
    for sender, recipient, data in built:
        conn.sendmail(sender, [recipient], data)
    elapsed = time.perf_counter() - started
    conn.quit()
    return len(built) / elapsed, build_rate, len(built[0][2])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--messages", type=int, default=20_000)
    parser.add_argument("--mailboxes", type=int, default=20)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--batch", type=int, default=None, help="SEND_BATCH_SIZE (default: the app's, 200)")
    parser.add_argument("--profile", type=Path, default=None, help="py-spy every worker; stacks go here")
    parser.add_argument("--timeout", type=float, default=1800)
    args = parser.parse_args()

    redis_url = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/14")
    os.environ["REDIS_URL"] = redis_url
    url = fresh_database("sequencer_bench_send")
    app = bench_app(url)
    tmp = Path(tempfile.mkdtemp(prefix="bench-send-"))
    conn = redis.Redis.from_url(redis_url)
    conn.flushdb()
    with SinkProcess(tmp / "sink.log") as sink:
        t = time.perf_counter()
        seed(app, args.messages, args.mailboxes, sink.port)
        print(f"seeded {args.messages:,} due emails for {args.mailboxes} mailboxes in {time.perf_counter() - t:.1f} s")

        env = {**os.environ, "DATABASE_URL": url, "REDIS_URL": redis_url, "SECRET_KEY": "bench",
               "SEQUENCER_INSTANCE": str(tmp / "instance"), "BASE_URL": "https://sequencer.bench"}
        if args.batch:
            env["SEND_BATCH_SIZE"] = str(args.batch)
        workers = [start_worker(env, tmp / f"worker{i}.log") for i in range(args.workers)]
        spies = []
        try:
            while len(Worker.all(connection=conn)) < args.workers:
                time.sleep(0.05)
            if args.profile:
                args.profile.mkdir(parents=True, exist_ok=True)
                spies = [subprocess.Popen([str(Path(sys.executable).parent / "py-spy"), "record", "--pid", str(w.pid),
                                           "--subprocesses", "--rate", "200", "--format", "raw", "--nonblocking",
                                           "-o", str(args.profile / f"worker{i}.txt")],
                                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                         for i, w in enumerate(workers)]
                time.sleep(1.0)
            sampler = Sampler([w.pid for w in workers])
            pg_base = {p.pid: cpu_of([p]) for p in named("postgres")}
            sampler.start()
            pg, rd = named("postgres"), named("redis-server")  # pg: overwritten below by the sampler's figure
            sink_ps = psutil.Process(sink.proc.pid)
            cpu0 = {"workers": cpu_of([psutil.Process(w.pid) for w in workers]), "postgres": cpu_of(pg),
                    "sink": cpu_of([sink_ps]), "redis": cpu_of(rd)}
            dispatch_q, send_q = Queue("dispatch", connection=conn), Queue("send", connection=conn)
            t0_wall, t0 = time.time(), time.perf_counter()
            dispatches = 0
            with app.app_context():
                while True:
                    if time.perf_counter() - t0 > args.timeout:
                        raise SystemExit("timed out")
                    if len(dispatch_q) == 0 and len(send_q) < 2 * args.workers:
                        dispatch_q.enqueue("workers.jobs.dispatch", job_timeout=120, result_ttl=30)
                        dispatches += 1
                    sent, left, last = db.session.execute(text(
                        "SELECT count(*) FILTER (WHERE state = 'sent'), "
                        "count(*) FILTER (WHERE state IN ('scheduled', 'sending')), max(sent_at) "
                        "FROM step_runs WHERE position = 1")).one()
                    db.session.rollback()
                    if not left:
                        break
                    time.sleep(0.1 if left < 2000 else 0.5)  # the count scans step_runs: poll lightly
            wall = time.perf_counter() - t0
            cpu1 = {"workers": cpu_of([psutil.Process(w.pid) for w in workers]), "postgres": cpu_of(pg),
                    "sink": cpu_of([sink_ps]), "redis": cpu_of(rd)}
            sampler.stop.set()
            sampler.join()
        finally:
            for spy in spies:
                spy.send_signal(2)
            for spy in spies:
                try:
                    spy.wait(20)
                except subprocess.TimeoutExpired:
                    spy.kill()
            for w in workers:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(w.pid, 15)
            for w in workers:
                try:
                    w.wait(10)
                except subprocess.TimeoutExpired:
                    os.killpg(w.pid, 9)
        elapsed = last.timestamp() - t0_wall
        e2e = sent / elapsed
        received = sink.count()
        print(f"end to end: {sent:,} sent (sink received {received:,}) in {elapsed:.2f} s "
              f"= {e2e:,.0f} msg/s  [{dispatches} dispatch jobs, {args.workers} workers, "
              f"batch {args.batch or app.config['SEND_BATCH_SIZE']}]")
        raw, build_rate, size = raw_ceiling(app, sink.port, min(sent, 20_000))
        print(f"raw ceiling: smtplib, one connection, pre-built messages ({size:,} bytes each): {raw:,.0f} msg/s")
        print(f"ratio end-to-end / raw: {e2e / raw:.2f}   (build_message alone: {build_rate:,.0f} msg/s)")
        mb = 1024 * 1024
        print(f"worker RSS peak: parent {sampler.parent_peak / mb:.0f} MiB, work-horse {sampler.horse_peak / mb:.0f} MiB, "
              f"all {args.workers} workers together {sampler.total_peak / mb:.0f} MiB")
        cpu = {k: cpu1[k] - cpu0[k] for k in cpu0}
        cpu["postgres"] = sum(max(0.0, v - pg_base.get(pid, 0.0)) for pid, v in sampler.pg_cpu.items())  # at least
        print(f"CPU seconds during the {wall:.1f} s run (2 cores = {2 * wall:.0f} available): "
              + ", ".join(f"{k} {v:.1f}" for k, v in cpu.items()))
    if args.profile:
        summarise_profile(args.profile)


if __name__ == "__main__":
    main()
