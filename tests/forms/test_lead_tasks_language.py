"""A website lead's task, its panel and the reminders are stored text: each is written in its reader's language."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from sequencer.forms import escalation
from sequencer.forms.process import process
from sequencer.mail.sending import settings_for
from sequencer.models import FormSubmission, Task
from sequencer.models.tasks import TaskType
from sequencer.platform import clock
from sequencer.scoring import ingest
from tests.forms.helpers import good_post, make_form

MONDAY_10 = datetime(2026, 12, 7, 8, 0, tzinfo=UTC)  # 10:00 in Vilnius


def test_a_lithuanian_rep_gets_the_lead_and_its_reminder_in_lithuanian(app, session, factory):
    manager = factory.user("manager", locale="en")
    rep = factory.user("rep", timezone="Europe/Vilnius", locale="lt")
    form = make_form(session, manager, [rep])
    with clock.frozen(MONDAY_10 - timedelta(seconds=30)):
        app.test_client().post(f"/f/{form.key}", json=good_post(app, form))
    with clock.frozen(MONDAY_10):
        process(session, session.scalar(select(FormSubmission.id)), settings_for(app.config))
    task = session.scalars(select(Task).where(Task.type == TaskType.SPEED_TO_LEAD)).one()
    assert task.title == "Naujas potencialus klientas: Anna Berg (demonstracijos užklausa)"
    assert "iš formos „Book a demo“." in task.instructions and "El. paštas: anna.berg@acme-corp.com" in task.instructions
    assert "Paskambinkite arba parašykite dabar" in task.instructions
    escalation.run(session, MONDAY_10 + timedelta(minutes=5))
    escalation.run(session, MONDAY_10 + timedelta(minutes=15))
    session.commit()
    todos = {t.owner_id: t.title for t in session.scalars(select(Task).where(Task.type == TaskType.TODO))}
    assert todos[rep.id] == "Priminimas: Anna Berg laukia"
    assert todos[manager.id].startswith("Untouched lead: Anna Berg (")  # the manager reads English


def test_a_lithuanian_owner_gets_the_sales_ready_hand_off_in_lithuanian(session, factory):
    owner = factory.user("rep", locale="lt")
    p = factory.prospect(first_name="Šarūnas", last_name="", owner_id=owner.id)
    now = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
    ingest.receive(session, [{"prospect_id": p.id, "kind": kind, "occurred_at": now.isoformat(), "properties": props}
                             for kind, props in (("demo_requested", {}), ("webinar_attended", {}),
                                                 ("page_view", {"url": "https://a.example/pricing"}))], now)
    task = session.scalars(select(Task).where(Task.type == TaskType.SALES_READY)).one()
    assert task.title.startswith("Šarūnas — metas susisiekti: demonstracijos užklausa")
    assert task.instructions.startswith("Įsitraukimas ")
