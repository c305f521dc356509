"""Untouched leads escalate in the owner's business hours (reminder, manager, reassignment, each once); the
report counts submissions per form and source, conversions, and the median minutes to first touch."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from sequencer.forms import escalation, report
from sequencer.forms.hours import business_minutes
from sequencer.forms.process import process
from sequencer.mail.sending import settings_for
from sequencer.models import Event, FormSubmission, Opportunity, Prospect, Task, TaskStatus
from sequencer.models.tasks import TaskType
from sequencer.platform import clock
from tests.forms.helpers import good_post, make_form

MONDAY_10 = datetime(2026, 12, 7, 8, 0, tzinfo=UTC)  # 10:00 in Vilnius


def test_business_minutes_stop_at_night_and_weekends():
    friday_1650 = datetime(2026, 12, 4, 14, 50, tzinfo=UTC)
    monday_0910 = datetime(2026, 12, 7, 7, 10, tzinfo=UTC)
    assert business_minutes(friday_1650, monday_0910, "Europe/Vilnius") == 20
    assert business_minutes(MONDAY_10, MONDAY_10 + timedelta(minutes=7), "Europe/Vilnius") == 7


def _submitted(app, session, factory):
    manager = factory.user("manager")
    first, second = factory.user("rep", timezone="Europe/Vilnius"), factory.user("rep", timezone="Europe/Vilnius")
    form = make_form(session, manager, [first, second])
    with clock.frozen(MONDAY_10 - timedelta(seconds=30)):
        app.test_client().post(f"/f/{form.key}", json=good_post(app, form))
    with clock.frozen(MONDAY_10):
        sub_id = session.scalar(select(FormSubmission.id))
        process(session, sub_id, settings_for(app.config))
    return form, manager, session.get(FormSubmission, sub_id)


def test_reminder_manager_then_reassignment_each_once(app, session, factory):
    form, manager, sub = _submitted(app, session, factory)
    owner = sub.owner_id
    assert escalation.run(session, MONDAY_10 + timedelta(minutes=4)).summary() == \
        {"reminded": 0, "managers_told": 0, "reassigned": 0}
    assert escalation.run(session, MONDAY_10 + timedelta(minutes=5)).reminded == [sub.id]
    assert escalation.run(session, MONDAY_10 + timedelta(minutes=6)).reminded == []  # once
    assert escalation.run(session, MONDAY_10 + timedelta(minutes=15)).managers_told == [sub.id]
    session.commit()
    todo = session.scalars(select(Task).where(Task.type == TaskType.TODO, Task.owner_id == manager.id)).one()
    assert "Untouched lead" in todo.title
    assert escalation.run(session, MONDAY_10 + timedelta(minutes=60)).reassigned == [sub.id]
    session.commit()
    session.expire_all()
    sub = session.get(FormSubmission, sub.id)
    assert sub.owner_id != owner and session.get(Task, sub.task_id).owner_id == sub.owner_id
    assert session.get(Prospect, sub.prospect_id).owner_id == sub.owner_id
    assert session.scalar(select(Event.id).where(Event.kind == "lead_reassigned")) is not None


def test_touched_leads_do_not_escalate_and_report_counts(app, session, factory):
    form, _, sub = _submitted(app, session, factory)
    task = session.get(Task, sub.task_id)
    task.status, task.completed_at, task.outcome = TaskStatus.DONE, MONDAY_10 + timedelta(minutes=4), "connected"
    session.add(Opportunity(name="Acme", prospect_id=sub.prospect_id, owner_id=sub.owner_id, stage="proposal",
                            created_at=MONDAY_10 + timedelta(days=1)))
    session.commit()
    assert escalation.run(session, MONDAY_10 + timedelta(hours=3)).summary()["reminded"] == 0
    start, end = MONDAY_10 - timedelta(days=1), MONDAY_10 + timedelta(days=7)
    rows = report.by_form(session, start, end)
    assert rows == [{"form_id": form.id, "form": form.name, "source": "linkedin", "submissions": 1, "meetings": 0,
                     "deals": 1, "meeting_rate": 0.0, "deal_rate": 1.0}]
    speed = report.speed_to_lead(session, start, end)
    assert speed[0]["user_id"] == sub.owner_id and speed[0]["median_minutes"] == 4.5 and speed[0]["week"] == "2026-W50"
