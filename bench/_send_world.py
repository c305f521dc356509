"""What both send benchmarks share: the seeded world (reps, mailboxes on the sink, a personalised sequence,
prospects), CPU and RSS sampling, the py-spy summary and the raw smtplib ceiling."""
from __future__ import annotations

import smtplib
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path

from sqlalchemy import text

from sequencer.extensions import db
from sequencer.mail.compose import Composed
from sequencer.mail.mime import build_message
from sequencer.models import Mailbox, Persona, Role, Sequence, SequenceStatus, Step, StepType, User, Variant
from sequencer.models.crm import Company
from sequencer.models.mail import SmtpSecurity, Transport
from sequencer.platform import clock

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



def seed_world(app, messages: int, mailboxes: int, port: int) -> dict:
    """Reps, their SMTP mailboxes on the sink, personas, companies, a two-step sequence and `messages` prospects."""
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
        s.commit()
        return params


def seed_due(app, params: dict) -> None:
    """Enrolments and due first-step runs straight in SQL (the keep-queued mode: no API in the way)."""
    with app.app_context():
        s = db.session
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
        analyze(s)


def analyze(s) -> None:
    s.execute(text("ANALYZE"))
    s.commit()


STAGES = [  # (label, substring of a py-spy frame "function (file)"), inclusive
    ("dispatch pass (run_pass: claims SQL)", "run_pass (sequencer/outreach/dispatch.py"),
    ("send_batch total", "send_batch (sequencer/mail/delivery.py"),
    ("  _load (batch rows)", "_load (sequencer/mail/delivery.py"),
    ("  _recheck (window, suppression query)", "_recheck (sequencer/mail/delivery.py"),
    ("  compose (render + thread + links)", "compose (sequencer/mail/compose.py"),
    ("    render_email (Jinja + html2text)", "render_email (sequencer/rendering"),
    ("    html_to_text (html2text)", "html_to_text (sequencer/rendering"),
    ("  _mark_started (chunk's durable start mark)", "_mark_started (sequencer/mail/delivery.py"),
    ("  build_message (MIME)", "build_message (sequencer/mail/mime.py"),
    ("  SMTP send", "send (sequencer/mail/transports.py"),
    ("  record_sent_many (chunk: mark, events, next)", "record_sent_many (sequencer/mail/recording.py"),
    ("    next_run_values (next step)", "next_run_values (sequencer/outreach/enrollment.py"),
    ("  session.commit (all)", "commit (sqlalchemy/orm/session.py"),
    ("  SQL execute round trips (all)", "execute (psycopg/cursor.py"),
    ("app/job set-up (app_context, imports)", "app_context (workers/context.py"),
    ("RQ job bookkeeping (outside the job)", "perform_job (rq/worker"),
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


