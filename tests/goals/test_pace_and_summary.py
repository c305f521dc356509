"""Pace per rep and week with a projection, the behind-pace banner, and the Monday email (internal only, once)."""
from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from rq import SimpleWorker

from sequencer.goals import pace as paces, plan as plans
from sequencer.goals.service import create_goal
from sequencer.goals.summary import send_monday_summaries
from sequencer.mail.sending import settings_for
from sequencer.models import GoalSummarySent
from sequencer.models.mail import SmtpSecurity, Transport
from sequencer.platform import queues
from tests.goals.seed import contacts
from tests.support.smtp_sink import Sink
from workers import jobs
from workers.context import bind_app

WED = datetime(2027, 3, 10, 15, 0, tzinfo=UTC)
MONDAY = datetime(2027, 3, 15, 7, 0, tzinfo=UTC)
ASSUME = {"average_deal": 10_000, "cycle_days": 0, "reply": 0.1, "meeting": 1, "opportunity": 1, "qualification": 1,
          "needs_analysis": 1, "proposal": 1, "negotiation": 1, "won": 1, "first_contact": 0.5}


def _goal(session, factory, rep):
    manager = factory.user("manager")
    # 2 deals in March at 10% reply = 20 first contacts over March's 23 working days
    return create_goal(session, manager, {"name": "March", "period_start": date(2027, 3, 1),
                                          "period_end": date(2027, 3, 31), "target_deals": 2, "owner_id": rep.id,
                                          "assumptions": ASSUME}, WED), manager


def test_pace_compares_the_plan_to_date_with_what_happened_and_projects_the_end(session, factory):
    rep = factory.user("rep")
    goal, _ = _goal(session, factory, rep)
    contacts(factory, rep, 4, at=datetime(2027, 3, 2, 10, tzinfo=UTC), touches_each=2)
    plan = plans.build(session, goal, WED)
    (rp,) = plan.reps
    assert rp.working_days == 23 and plan.need["first_contacts"].mid == 20
    assert rp.per_day["first_contacts"] == round(20 / 23, 2)
    pace = paces.compute(session, plan)
    # Mar 1..10 holds 8 working days: 0.87 a day planned, 4 done
    assert pace.planned["first_contacts"] == round(0.87 * 8, 1) and pace.actual["first_contacts"] == 4
    assert pace.actual["touches"] == 8
    assert pace.projection["first_contacts"] == round(4 / pace.planned["first_contacts"] * 20, 1)
    (rep_pace,) = pace.reps
    assert rep_pace.week_actual["first_contacts"] == 0 and rep_pace.week_planned["first_contacts"] == round(0.87 * 3, 1)
    assert rep_pace.behind == 2 and rep_pace.message == "2 first contacts behind this week"
    assert rep_pace.reason == "fewer touches"
    assert pace.weeks[0]["week"] == "2027-03-01" and pace.weeks[0]["first_contacts_actual"] == 4


def test_time_off_removes_working_days_from_a_reps_plan(session, factory):
    rep = factory.user("rep")
    factory.time_off(rep, date(2027, 3, 15), days=5)  # Mon..Fri
    goal, _ = _goal(session, factory, rep)
    (rp,) = plans.build(session, goal, WED).reps
    assert rp.working_days == 18


def test_the_monday_email_goes_to_managers_only_once_a_week_through_smtp(app, session, factory):
    rep = factory.user("rep")
    goal, manager = _goal(session, factory, rep)
    factory.prospect(email="outsider@example.net", owner_id=rep.id)
    with Sink() as sink:
        factory.mailbox(owner_id=manager.id, email="boss@sequencer.test", transport=Transport.SMTP,
                        smtp_host="127.0.0.1", smtp_port=sink.port, smtp_security=SmtpSecurity.NONE)
        session.commit()
        settings = settings_for(app.config)
        assert send_monday_summaries(session, MONDAY + timedelta(days=1), settings) == 0  # not a Monday
        assert send_monday_summaries(session, MONDAY, settings) == 1
        assert send_monday_summaries(session, MONDAY + timedelta(hours=3), settings) == 0  # safe to run twice
    [envelope] = sink.handler.envelopes
    assert envelope.rcpt_tos == [manager.email]
    [msg] = sink.handler.parsed()
    body = msg.get_content()
    assert "March" in body and "first contacts behind this week" in body and "fewer touches" in body
    assert session.query(GoalSummarySent).filter_by(goal_id=goal.id, user_id=manager.id).count() == 1


def test_the_job_runs_in_a_worker_and_sends_nothing_the_second_time(app, session, factory, redis_conn):
    rep = factory.user("rep")
    _goal(session, factory, rep)
    session.commit()
    bind_app(app)
    queue = queues.queue(queues.DEFAULT, redis_conn)
    first = queue.enqueue(jobs.goals_monday_summary, MONDAY.isoformat())
    second = queue.enqueue(jobs.goals_monday_summary, MONDAY.isoformat())
    SimpleWorker([queue], connection=redis_conn).work(burst=True)
    assert first.return_value() == {"emailed": 1} and second.return_value() == {"emailed": 0}
