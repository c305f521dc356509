"""A submission end to end in-process: stored by the POST, then the worker makes the contact, the owner, the
score, the welcome email (through the sending pipeline), the enrolment and the speed-to-lead task."""
from __future__ import annotations

from rq import SimpleWorker
from sqlalchemy import func, select

from sequencer.models import (
    Activity,
    Enrollment,
    FormConsent,
    FormSubmission,
    Prospect,
    StepRun,
    Task,
)
from sequencer.models.tasks import TaskType
from sequencer.platform import queues
from tests.forms.helpers import good_post, make_form
from workers.context import bind_app


def _drain(app, redis_conn):
    bind_app(app)
    names = (queues.DEFAULT, queues.DISPATCH, queues.SEND)
    SimpleWorker([queues.queue(n, redis_conn) for n in names], connection=redis_conn).work(burst=True)


def test_post_stores_then_worker_hands_off(app, client, session, factory, redis_conn):
    manager = factory.user("manager")
    rep = factory.user("rep", name="Rita Rep")
    factory.mailbox(owner_id=rep.id)
    nurture = factory.sequence(steps=2, status="active", owner_id=manager.id)
    form = make_form(session, manager, [rep], sequence_id=nurture.id)

    response = client.post(f"/f/{form.key}", json=good_post(app, form))
    assert response.status_code == 200 and response.get_json() == {"status": "received"}
    sub = session.scalars(select(FormSubmission)).one()
    assert sub.status == "received" and sub.email == "anna.berg@acme-corp.com" and sub.utm == {"utm_source": "linkedin"}
    assert session.scalar(select(func.count(Prospect.id))) == 0  # nothing but the submission in the request

    _drain(app, redis_conn)
    session.expire_all()
    sub = session.get(FormSubmission, sub.id)
    assert sub.status == "processed" and sub.owner_id == rep.id and "round-robin" in sub.route_reason
    prospect = session.get(Prospect, sub.prospect_id)
    assert prospect.owner_id == rep.id and prospect.country == "LT" and prospect.timezone == "Europe/Vilnius"
    assert prospect.company.domain == "acme-corp.com" and prospect.fields["team_size"] == "40"
    assert prospect.score_engagement == 25  # the demo-request form rule
    assert session.scalars(select(Activity.kind).where(Activity.prospect_id == prospect.id)).all() == ["form_submitted"]
    task = session.get(Task, sub.task_id)
    assert task.type == TaskType.SPEED_TO_LEAD and task.owner_id == rep.id and task.due_at <= sub.processed_at
    assert "Team size: 40" in task.instructions and "utm" not in task.instructions.lower().split("source")[0]
    sequences = set(session.scalars(select(Enrollment.sequence_id).where(Enrollment.prospect_id == prospect.id)))
    assert sequences == {form.welcome_sequence_id, nurture.id}, sub.handoff
    welcome_run = session.scalars(select(StepRun).join(Enrollment).where(
        Enrollment.sequence_id == form.welcome_sequence_id)).one()
    assert welcome_run.state.value == "sent"  # dispatched and sent through the outbox at once
    assert "cal.example.com/acme" in welcome_run.body_text
    assert session.scalars(select(FormConsent.action)).all() == ["given"]


def test_existing_contact_keeps_owner_and_alias_is_same_person(app, client, session, factory, redis_conn):
    manager = factory.user("manager")
    owner, other = factory.user("rep"), factory.user("rep")
    existing = factory.prospect(email="anna@acme.com", owner_id=owner.id)
    form = make_form(session, manager, [other])
    client.post(f"/f/{form.key}", json=good_post(app, form, email="  ANNA+web@Acme.com"))
    _drain(app, redis_conn)
    session.expire_all()
    sub = session.scalars(select(FormSubmission)).one()
    assert sub.prospect_id == existing.id and sub.owner_id == owner.id
    assert sub.route_reason == "the contact's existing owner"
    assert session.scalar(select(func.count(Prospect.id))) == 1


def test_running_the_job_twice_hands_off_once(app, session, factory):
    from sequencer.forms.process import process
    from sequencer.mail.sending import settings_for

    manager, rep = factory.user("manager"), factory.user("rep")
    factory.mailbox(owner_id=rep.id)
    form = make_form(session, manager, [rep])
    client = app.test_client()
    client.post(f"/f/{form.key}", json=good_post(app, form))
    sub_id = session.scalar(select(FormSubmission.id))
    assert process(session, sub_id, settings_for(app.config)).status == "processed"
    assert process(session, sub_id, settings_for(app.config)).status == "skipped"
    assert session.scalar(select(func.count(Task.id)).where(Task.type == TaskType.SPEED_TO_LEAD)) == 1


def test_a_submission_whose_job_was_lost_is_found_again(app, client, session, factory, redis_conn):
    from datetime import timedelta

    from sequencer.forms.queueing import stranded
    from sequencer.platform import clock

    form = make_form(session, factory.user("manager"), [factory.user("rep")])
    client.post(f"/f/{form.key}", json=good_post(app, form))
    redis_conn.flushdb()  # Redis is transport: losing it loses nothing
    sub_id = session.scalar(select(FormSubmission.id))
    assert stranded(session, clock.now()) == []  # still fresh: its job may just be queued
    assert stranded(session, clock.now() + timedelta(seconds=31)) == [sub_id]
