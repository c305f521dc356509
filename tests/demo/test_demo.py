"""The demo workspace: what `seed_demo` promises the people who click around after `sequencer run`."""
from __future__ import annotations

import email
import re
from collections import Counter
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from jinja2 import StrictUndefined
from jinja2.sandbox import SandboxedEnvironment
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from sequencer.accounts.workspace import get_workspace
from sequencer.demo import DEMO_LOGINS, DEMO_PASSWORD, seed_demo
from sequencer.models import (
    Company,
    Enrollment,
    Event,
    InboundMessage,
    Mailbox,
    Opportunity,
    Persona,
    Prospect,
    Sequence,
    Step,
    StepRun,
    StepRunState,
    Task,
    TaskStatus,
    User,
    Variant,
)
from sequencer.models.mail import Transport
from sequencer.platform import clock
from sequencer.platform.db import Base
from sequencer.platform.security import authenticate

NOW = datetime(2026, 11, 25, 8, 30, tzinfo=UTC)  # a Wednesday, 10:30 in Vilnius
VILNIUS = ZoneInfo("Europe/Vilnius")


@pytest.fixture
def seeded(session: Session):
    with clock.frozen(NOW):
        result = seed_demo(session)
    session.commit()
    return result


def _all(session, model, *where):
    return list(session.scalars(select(model).where(*where)))


def _buckets(session: Session, user: User, now: datetime) -> Counter:
    tz = ZoneInfo(user.timezone)
    today = now.astimezone(tz).date()
    out = Counter()
    for task in _all(session, Task, Task.owner_id == user.id, Task.status == TaskStatus.OPEN):
        day = task.due_at.astimezone(tz).date()
        out["today" if day == today else "overdue" if day < today else "upcoming"] += 1
    return out


def test_result_counts_match_the_database(session, seeded):
    assert seeded.created
    assert seeded.seconds < 10  # ~0.5 s on SQLite; generous for slow CI
    for field, model in [("users", User), ("companies", Company), ("prospects", Prospect),
                         ("sequences", Sequence), ("enrollments", Enrollment), ("step_runs", StepRun),
                         ("tasks", Task), ("events", Event), ("opportunities", Opportunity),
                         ("inbound_messages", InboundMessage)]:
        assert getattr(seeded, field) == session.scalar(select(func.count()).select_from(model)), field
    assert "prospects" in seeded.summary()


def test_second_call_changes_nothing(session, seeded):
    def counts():
        return {t.name: session.scalar(select(func.count()).select_from(t)) for t in Base.metadata.sorted_tables}

    before = counts()
    with clock.frozen(NOW + timedelta(days=3)):
        again = seed_demo(session)
    session.flush()
    assert not again.created
    assert counts() == before
    assert "already" in again.summary()


def test_workspace_team_and_mailboxes(session, seeded):
    ws = get_workspace(session)
    assert ws.company_name and "Vilnius" in ws.postal_address
    users = {u.email: u for u in _all(session, User)}
    assert {e for e, _ in DEMO_LOGINS} <= set(users)
    assert {(e, users[e].role.value) for e, _ in DEMO_LOGINS} == set(DEMO_LOGINS)
    assert users["manager@example.com"].timezone == "Europe/Vilnius"
    assert users["rep@example.com"].timezone == "Europe/Vilnius"
    assert users["rep2@example.com"].timezone == "America/New_York"
    assert authenticate(session, "rep@example.com", DEMO_PASSWORD) is not None
    assert len({u.password_hash for u in users.values()}) == 1  # hashed once
    for rep in ("rep@example.com", "rep2@example.com"):
        boxes = _all(session, Mailbox, Mailbox.owner_id == users[rep].id)
        assert len(boxes) == 1 and boxes[0].transport == Transport.OUTBOX


def test_personas_companies_and_prospects(session, seeded):
    personas = {p.key: p for p in _all(session, Persona)}
    assert {"cfo", "cto", "head_of_sales"} <= set(personas)
    keywords = {k for p in personas.values() for k in p.title_keywords}
    assert {"Finansų direktorius", "Leiter Finanzen", "IT direktorius", "Vertriebsleiter",
            "Pardavimų vadovas"} <= keywords
    assert all(p.description for p in personas.values())

    companies = _all(session, Company)
    assert 45 <= len(companies) <= 55
    assert {c.country for c in companies} == {"LT", "DE", "US"}
    assert all(c.domain.endswith("-demo.com") and c.industry and c.size for c in companies)

    prospects = _all(session, Prospect)
    assert 180 <= len(prospects) <= 220
    names = {p.name for p in prospects}
    assert {"Šarūnas Žukauskas", "Jūratė Čepulienė", "Dalia Grybauskienė", "Mindaugas Ąžuolas",
            "Jürgen Müller", "Käthe Groß"} <= names
    for p in prospects:
        assert p.email_normalized == p.email.strip().lower()
        assert re.fullmatch(r"\+[1-9]\d{7,14}", p.phone), p.phone
        ZoneInfo(p.timezone)
        assert p.country in ("LT", "DE", "US") and p.city and p.language
        assert p.linkedin_url.startswith("https://www.linkedin.com/in/")
        assert p.company_id is not None and p.owner_id is not None
    assert {p.timezone for p in prospects} >= {"Europe/Vilnius", "Europe/Berlin", "America/New_York",
                                               "America/Chicago", "America/Los_Angeles"}
    assert {p.persona.key for p in prospects if p.persona} == {"cfo", "cto", "head_of_sales"}
    assert any("erp" in p.fields for p in prospects) and any("erp" not in p.fields for p in prospects)
    assert {"bounced", "unsubscribed", "do_not_contact", "active"} <= {p.status.value for p in prospects}


def test_sequences_steps_and_variants(session, seeded):
    seqs = _all(session, Sequence)
    assert Counter(s.status.value for s in seqs)["active"] == 3
    assert {s.status.value for s in seqs} & {"draft", "paused"}
    types = {st.type.value for s in seqs for st in s.steps}
    assert {"auto_email", "manual_email", "call", "linkedin_view", "linkedin_connect",
            "linkedin_message"} <= types
    for s in seqs:
        assert [st.position for st in s.steps] == list(range(1, len(s.steps) + 1))
        assert all(st.wait_days >= 1 for st in s.steps[1:])
        assert all(st.instructions for st in s.steps if not st.type.is_email)
    ab = [st for s in seqs for st in s.steps if len(st.variants) == 2]
    assert ab and [(v.label, v.weight) for v in ab[0].variants] == [("A", 50), ("B", 50)]
    first = next(s for s in seqs if s.steps[0].variants[0].by_persona).steps[0]
    assert {"cfo", "cto"} <= set(first.variants[0].by_persona)
    env = SandboxedEnvironment(undefined=StrictUndefined)
    sources = [t for v in _all(session, Variant)
               for t in (v.subject, v.body, *[x for o in v.by_persona.values() for x in o.values()])]
    assert any("prospect.fields.erp | default(" in t for t in sources)
    for source in sources:
        env.parse(source)


def test_enrollments_in_every_state(session, seeded):
    enrollments = _all(session, Enrollment)
    assert 100 <= len(enrollments) <= 140
    assert {e.status.value for e in enrollments} == {"active", "paused", "finished", "exited"}
    assert {"replied", "bounced", "unsubscribed", "meeting_booked", "manual"} <= {e.exit_reason for e in enrollments}
    for e in enrollments:
        if e.status.value in ("finished", "exited"):
            assert e.ended_at is not None and e.ended_at < NOW
        runs = e.step_runs
        assert [r.position for r in runs] == list(range(1, len(runs) + 1))
        if e.status.value == "active":
            current = runs[-1]
            assert current.state in (StepRunState.SCHEDULED, StepRunState.TASK_OPEN)
            if current.state == StepRunState.SCHEDULED and e.sequence.name.startswith("Webinar"):
                assert current.due_at == NOW and current.position == 1  # the live demo: due at once
            elif current.state == StepRunState.SCHEDULED:
                assert current.due_at > NOW and current.why_waiting
    paused = [e for e in enrollments if e.status.value == "paused"]
    assert paused and all(e.paused_until and e.paused_until > NOW for e in paused)
    whys = [r.why_waiting for r in _all(session, StepRun, StepRun.state == StepRunState.SCHEDULED)
            if r.why_waiting]  # the live webinar runs are due at once: nothing to explain
    assert any(w.startswith("outside window, opens ") for w in whys)
    assert any("out of office" in w for w in whys)


def test_sent_step_runs_carry_the_rendered_message(session, seeded):
    sent = _all(session, StepRun, StepRun.state == StepRunState.SENT)
    assert len(sent) >= 150
    for run in sent:
        assert run.subject and run.body_text and run.body_html.startswith("<html>")
        assert "{{" not in run.subject + run.body_text
        assert re.fullmatch(r"<sr-\d+\.[0-9a-f]+@sequencer\.demo>", run.message_id)
        assert run.sent_at < NOW and run.variant_id and run.mailbox_id
        local = run.sent_at.astimezone(ZoneInfo(run.enrollment.prospect.timezone))
        assert local.weekday() < 5 and 9 <= local.hour < 17
    assert any(r.subject.startswith("Re: ") for r in sent)  # threaded follow-ups
    by_name = {r.enrollment.prospect.first_name for r in sent}
    assert any(r.body_text.startswith(f"Hi {r.enrollment.prospect.first_name},") for r in sent) and by_name
    for run in _all(session, StepRun, StepRun.state.in_([StepRunState.DONE, StepRunState.SKIPPED])):
        assert run.done_at < NOW and not run.step.type == "auto_email"
    for run in _all(session, StepRun, StepRun.state == StepRunState.TASK_OPEN):
        task = session.scalar(select(Task).where(Task.step_run_id == run.id))
        assert task is not None and task.status == TaskStatus.OPEN


def test_rep_task_queue_in_the_reps_time_zone(session, seeded):
    rep = session.scalar(select(User).where(User.email == "rep@example.com"))
    buckets = _buckets(session, rep, NOW)
    assert 6 <= buckets["today"] <= 12
    assert buckets["overdue"] >= 2 and buckets["upcoming"] >= 2
    today = [t for t in _all(session, Task, Task.owner_id == rep.id, Task.status == TaskStatus.OPEN)
             if t.due_at.astimezone(VILNIUS).date() == NOW.astimezone(VILNIUS).date()]
    assert {"call", "linkedin_view", "linkedin_connect", "manual_email"} <= {t.type.value for t in today}
    for call in (t for t in today if t.type.value == "call"):
        assert call.prospect.phone in call.instructions
    rep2 = session.scalar(select(User).where(User.email == "rep2@example.com"))
    assert _buckets(session, rep2, NOW)["today"] >= 1


@pytest.mark.parametrize("now", [
    datetime(2026, 11, 28, 21, 30, tzinfo=UTC),  # Saturday 23:30 in Vilnius
    datetime(2026, 11, 25, 3, 10, tzinfo=UTC),   # before the window in Vilnius, evening in the US
    datetime(2026, 12, 24, 23, 50, tzinfo=UTC),  # Christmas night: holidays in LT, DE and US
    datetime(2027, 3, 28, 1, 30, tzinfo=UTC),    # the night the EU clocks go forward
])
def test_any_clock_gives_a_consistent_timeline(session, now):
    with clock.frozen(now):
        assert seed_demo(session).created
    session.flush()
    rep = session.scalar(select(User).where(User.email == "rep@example.com"))
    assert _buckets(session, rep, now)["today"] >= 6
    assert all(e.occurred_at < now or e.kind in ("enrolled", "stale_reminder") and e.occurred_at == now
               for e in _all(session, Event))
    for r in _all(session, StepRun, StepRun.state == StepRunState.SCHEDULED):
        live = r.enrollment.sequence.name.startswith("Webinar")  # the any-day demo: due at once
        assert r.due_at == now if live else r.due_at > now
    assert all(r.sent_at < now for r in _all(session, StepRun, StepRun.sent_at.is_not(None)))


def test_events_tell_the_funnel_and_the_ab_story(session, seeded):
    events = _all(session, Event)
    kinds = Counter(e.kind for e in events)
    assert {"sent", "opened", "clicked", "replied", "meeting_booked", "bounced", "unsubscribed",
            "auto_replied", "task_completed"} <= set(kinds)
    assert kinds["sent"] == len(_all(session, StepRun, StepRun.state == StepRunState.SENT))
    assert 0.3 <= kinds["opened"] / kinds["sent"] <= 0.6
    assert 0.03 <= kinds["clicked"] / kinds["sent"] <= 0.15
    assert {e.payload["sentiment"] for e in events if e.kind == "replied"} == {"positive", "negative", "referral"}
    times = [e.occurred_at for e in events if e.kind != "enrolled" and e.opportunity_id is None]  # outreach only
    assert max(times) < NOW and NOW - min(times) > timedelta(days=28) and NOW - min(times) < timedelta(days=60)

    step = next(st for st in _all(session, Step) if len(st.variants) == 2)
    rates = {}
    for v in step.variants:
        sent = sum(1 for e in events if e.kind == "sent" and e.variant_id == v.id)
        replied = sum(1 for e in events if e.kind == "replied" and e.variant_id == v.id)
        assert sent >= 25
        rates[v.label] = replied / sent
    assert rates["B"] > rates["A"] > 0


def test_inbound_messages_are_raw_mail_linked_to_what_they_caused(session, seeded):
    messages = _all(session, InboundMessage)
    assert {m.classification for m in messages} == {"reply", "auto_reply", "bounce", "unsubscribe"}
    events = _all(session, Event)
    for m in messages:
        assert m.status.value == "processed" and m.size == len(m.raw) and m.prospect_id and m.enrollment_id
        parsed = email.message_from_bytes(m.raw)
        assert parsed["Message-ID"].strip() == m.message_id and parsed["From"]
        assert any(e.inbound_message_id == m.id and e.enrollment_id == m.enrollment_id for e in events)
    ooo = next(m for m in messages if m.classification == "auto_reply")
    assert "out of the office until" in email.message_from_bytes(ooo.raw).get_payload(decode=True).decode()
    bounce = next(m for m in messages if m.classification == "bounce")
    assert b"Status: 5.1.1" in bounce.raw
    assert session.get(Prospect, bounce.prospect_id).status.value == "bounced"


def test_pipeline_has_history_and_stale_deals(session, seeded):
    opps = _all(session, Opportunity)
    assert 20 <= len(opps) <= 30
    assert len({o.stage for o in opps}) == 7
    quarter_start = datetime(2027, 1, 1).date()
    for o in opps:
        assert o.currency == "EUR" and 8000 <= o.amount <= 120000
        assert o.history and o.history[-1].to_stage == o.stage.value and o.history[0].from_stage is None
        assert (o.lost_reason is not None) == (o.stage.value == "closed_lost")
        if not o.stage.is_closed:
            assert quarter_start <= o.close_date < datetime(2027, 4, 1).date()
    assert len({o.company_id for o in opps}) == len(opps)
    closed = [o for o in opps if o.stage.is_closed]
    assert len({(o.closed_at.year, (o.closed_at.month - 1) // 3) for o in closed}) >= 3  # quarters to compare


def test_the_real_job_made_the_stale_reminders_exactly_once(app, session, seeded, redis_conn):
    from rq import SimpleWorker

    from sequencer.deals.board import DealFilters, list_deals
    from sequencer.models.tasks import TaskType
    from workers import jobs, queues
    from workers.context import bind_app

    with clock.frozen(NOW):
        stale = [r for r in list_deals(session, DealFilters(stale=True), NOW)]
    reminders = _all(session, Task, Task.type == TaskType.STALE_OPPORTUNITY)
    assert len(stale) >= 3
    assert sorted(t.opportunity_id for t in reminders) == sorted(r.opp.id for r in stale)
    assert all(t.owner_id == r.opp.owner_id and t.status == TaskStatus.OPEN and t.dedupe_key
               for t, r in zip(sorted(reminders, key=lambda t: t.opportunity_id), sorted(stale, key=lambda r: r.opp.id)))
    assert all("No activity for" in t.instructions for t in reminders)
    bind_app(app)  # the periodic job later that day finds nothing new to remind about
    q = queues.queue(queues.DEFAULT, redis_conn)
    job = q.enqueue(jobs.remind_stale, (NOW + timedelta(hours=2)).isoformat())
    SimpleWorker([q], connection=redis_conn).work(burst=True)
    assert job.return_value()["created"] == 0
    assert len(_all(session, Task, Task.type == TaskType.STALE_OPPORTUNITY)) == len(reminders)


def test_same_clock_same_data(session):
    def fingerprint():
        return (
            [(p.email, p.phone, p.title, p.fields, p.status.value) for p in _all(session, Prospect)],
            sorted((r.due_at, r.state.value, r.subject or "", r.body_text or "") for r in _all(session, StepRun)),
            sorted((e.occurred_at, e.kind) for e in _all(session, Event)),
            sorted((o.name, o.amount, o.close_date) for o in _all(session, Opportunity)),
        )

    with clock.frozen(NOW):
        seed_demo(session)
        first = fingerprint()
        session.rollback()
        seed_demo(session)
        assert fingerprint() == first


def test_demo_mail_reads_as_what_it_claims_and_the_live_answers_took_effect(session, seeded):
    from sequencer.inbound.classify import classify
    from sequencer.inbound.parse import parse

    messages = _all(session, InboundMessage)
    assert Counter(m.classification for m in messages) == {"reply": 3, "auto_reply": 3, "bounce": 3, "unsubscribe": 3}
    for m in messages:  # the historic rows say what the real classifier says of their bytes
        parsed = parse(m.raw)
        verdict = classify(session, parsed, parsed.date.date())
        assert (verdict.classification, verdict.match.prospect.id) == (m.classification, m.prospect_id), m.subject
    live = {m.classification: m for m in messages if m.received_at > NOW - timedelta(hours=2)}
    assert set(live) == {"reply", "auto_reply", "bounce", "unsubscribe"}
    assert session.get(Enrollment, live["reply"].enrollment_id).exit_reason == "replied"
    paused = session.get(Enrollment, live["auto_reply"].enrollment_id)
    assert paused.status.value == "paused" and paused.paused_until == live["auto_reply"].resume_at > NOW
    assert session.get(Prospect, live["bounce"].prospect_id).status.value == "bounced"
    assert session.get(Prospect, live["unsubscribe"].prospect_id).status.value == "unsubscribed"
