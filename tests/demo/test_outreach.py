"""The demo's outreach history: enrolments in every state, sent mail, the rep's queue, the A/B story."""
from __future__ import annotations

import re
from collections import Counter
from datetime import timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from sequencer.models import Enrollment, Event, Step, StepRun, StepRunState, Task, TaskStatus, User
from sequencer.models.tasks import TaskType
from tests.demo.helpers import NOW, VILNIUS, rows_of, task_buckets


def test_enrollments_in_every_state(session, seeded):
    enrollments = rows_of(session, Enrollment)
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
            elif current.state == StepRunState.SCHEDULED and e.sequence.name.startswith("Form welcome"):
                assert current.due_at <= NOW and current.position == 1  # website leads: sent on the first pass
            elif current.state == StepRunState.SCHEDULED:
                assert current.due_at > NOW and current.why_waiting
    paused = [e for e in enrollments if e.status.value == "paused"]
    assert paused and all(e.paused_until and e.paused_until > NOW for e in paused)
    whys = [r.why_waiting for r in rows_of(session, StepRun, StepRun.state == StepRunState.SCHEDULED)
            if r.why_waiting]  # the live webinar runs are due at once: nothing to explain
    assert any(w.startswith("outside window, opens ") for w in whys)
    assert any("out of office" in w for w in whys)


def test_sent_step_runs_carry_the_rendered_message(session, seeded):
    sent = rows_of(session, StepRun, StepRun.state == StepRunState.SENT)
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
    for run in rows_of(session, StepRun, StepRun.state.in_([StepRunState.DONE, StepRunState.SKIPPED])):
        assert run.done_at < NOW and run.step.type != "auto_email"
    for run in rows_of(session, StepRun, StepRun.state == StepRunState.TASK_OPEN):
        task = session.scalar(select(Task).where(Task.step_run_id == run.id))
        assert task is not None and task.status == TaskStatus.OPEN


def test_rep_task_queue_in_the_reps_time_zone(session, seeded):
    rep = session.scalar(select(User).where(User.email == "rep@example.com"))
    buckets = task_buckets(session, rep, NOW)
    handoffs = len(rows_of(session, Task, Task.owner_id == rep.id, Task.type == TaskType.SALES_READY))
    assert 1 <= handoffs <= 3  # lead scoring's sales-ready hand-offs, due now, on top of the sequence tasks
    assert 6 <= buckets["today"] - handoffs <= 12
    assert buckets["overdue"] >= 2 and buckets["upcoming"] >= 2
    today = [t for t in rows_of(session, Task, Task.owner_id == rep.id, Task.status == TaskStatus.OPEN)
             if t.due_at.astimezone(VILNIUS).date() == NOW.astimezone(VILNIUS).date()]
    assert {"call", "linkedin_view", "linkedin_connect", "manual_email"} <= {t.type.value for t in today}
    for call in (t for t in today if t.type.value == "call"):
        assert call.prospect.phone in call.instructions
    rep2 = session.scalar(select(User).where(User.email == "rep2@example.com"))
    assert task_buckets(session, rep2, NOW)["today"] >= 1


def test_events_tell_the_funnel_and_the_ab_story(session, seeded):
    events = rows_of(session, Event)
    kinds = Counter(e.kind for e in events)
    assert {"sent", "opened", "clicked", "replied", "meeting_booked", "bounced", "unsubscribed",
            "auto_replied", "task_completed"} <= set(kinds)
    assert kinds["sent"] == len(rows_of(session, StepRun, StepRun.state == StepRunState.SENT))
    assert 0.3 <= kinds["opened"] / kinds["sent"] <= 0.6
    assert 0.03 <= kinds["clicked"] / kinds["sent"] <= 0.15
    assert {e.payload["sentiment"] for e in events if e.kind == "replied"} == {"positive", "negative", "referral"}
    times = [e.occurred_at for e in events if e.kind not in ("enrolled", "sales_ready", "sales_ready_dropped")
             and e.opportunity_id is None]  # outreach only (a hand-off happens as the demo loads)
    assert max(times) < NOW and NOW - min(times) > timedelta(days=28) and NOW - min(times) < timedelta(days=60)

    step = next(st for st in rows_of(session, Step) if len(st.variants) == 2)
    rates = {}
    for v in step.variants:
        sent = sum(1 for e in events if e.kind == "sent" and e.variant_id == v.id)
        replied = sum(1 for e in events if e.kind == "replied" and e.variant_id == v.id)
        assert sent >= 25
        rates[v.label] = replied / sent
    assert rates["B"] > rates["A"] > 0
