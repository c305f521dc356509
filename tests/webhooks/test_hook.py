"""The outbox hook: catalogue events are written in the transaction of their change, and only with it."""
from __future__ import annotations

from sqlalchemy import insert, select

from sequencer.models import Event, ProspectStatus, Stage, TaskStatus, WebhookEvent
from sequencer.outreach.enrollment import exit_enrollment, pause, resume
from sequencer.people.erasure import erase_prospect
from sequencer.platform import clock


def _types(session) -> list[str]:
    return [e.type for e in session.scalars(select(WebhookEvent).order_by(WebhookEvent.id))]


def test_a_new_prospect_writes_prospect_created_with_its_data(session, factory):
    p = factory.prospect(first_name="Rūta")
    session.commit()
    (row,) = session.scalars(select(WebhookEvent))
    assert row.type == "prospect.created"
    assert row.data["id"] == p.id and row.data["first_name"] == "Rūta" and row.prospect_id == p.id


def test_a_rolled_back_change_leaves_no_event(session, factory):
    factory.prospect()
    session.rollback()
    assert _types(session) == []


def test_updates_owner_changes_and_status_changes_each_have_their_type(session, factory):
    rep, other = factory.user("rep"), factory.user("rep")
    p = factory.prospect(owner_id=rep.id)
    session.commit()
    p.title = "CFO"
    session.commit()
    p.owner_id = other.id
    session.commit()
    p.status = ProspectStatus.UNSUBSCRIBED
    session.commit()
    session.commit()  # nothing changed: nothing written
    assert _types(session) == ["prospect.created", "prospect.updated", "prospect.updated",
                               "prospect.owner_changed", "prospect.unsubscribed"]
    owner_event = session.scalars(select(WebhookEvent).where(WebhookEvent.type == "prospect.owner_changed")).one()
    assert owner_event.data["previous_owner_id"] == rep.id and owner_event.data["owner_id"] == other.id


def test_enrolment_task_and_deal_lifecycles(session, factory):
    e = factory.enrollment()
    t = factory.task(prospect_id=e.prospect_id)
    d = factory.opportunity(stage="proposal")
    session.commit()
    session.execute(WebhookEvent.__table__.delete())
    now = clock.now()
    pause(session, e, now)
    session.commit()
    resume(session, e, now)  # a conditional Core UPDATE: the state machine's recorded event carries it
    t.status = TaskStatus.DONE
    session.commit()
    exit_enrollment(session, e, now, reason="replied")
    d.stage = Stage.CLOSED_WON
    session.commit()
    assert sorted(_types(session)) == sorted(["enrollment.paused", "enrollment.resumed", "task.completed",
                                              "enrollment.exited", "deal.stage_changed", "deal.won"])
    exited = session.scalars(select(WebhookEvent).where(WebhookEvent.type == "enrollment.exited")).one()
    assert exited.data["id"] == e.id and exited.data["reason"] == "replied"


def test_core_inserts_of_events_are_seen_too(session, factory):
    """The send path and bulk enrolment write Event rows with Core inserts, skipping the unit of work."""
    e = factory.enrollment()
    session.commit()
    session.execute(insert(Event), [{"kind": "sent", "occurred_at": clock.now(), "prospect_id": e.prospect_id,
                                     "enrollment_id": e.id, "payload": {"message_id": "<m@x>"}},
                                    {"kind": "enrolled", "occurred_at": clock.now(), "prospect_id": e.prospect_id,
                                     "enrollment_id": e.id, "payload": {}}])
    session.commit()
    sent = session.scalars(select(WebhookEvent).where(WebhookEvent.type == "email.sent")).one()
    assert sent.data["enrollment_id"] == e.id and sent.data["details"] == {"message_id": "<m@x>"}
    assert "enrollment.created" in _types(session)


def test_created_types_for_task_and_deal(session, factory):
    factory.task()
    factory.opportunity()
    session.commit()
    assert {"task.created", "deal.created", "prospect.created"} <= set(_types(session))


def test_event_rows_map_to_email_and_other_families(session, factory):
    p = factory.prospect()
    session.commit()
    for kind in ("sent", "opened", "clicked", "replied", "bounced", "stale_reminder", "sales_ready",
                 "score_changed", "mailbox_paused"):
        session.add(Event(kind=kind, prospect_id=p.id, payload={"url": "https://x.example"}))
    session.commit()
    assert _types(session)[1:] == ["email.sent", "email.opened", "email.clicked", "email.replied", "email.bounced",
                                   "deal.stale", "prospect.sales_ready", "prospect.score_changed"]


def test_a_complained_status_maps_by_name(session, factory):
    p = factory.prospect()
    session.commit()
    p.status = "complained"  # the bounce work adds this status; the mapping goes by its name
    session.flush()
    types = _types(session)
    session.rollback()
    assert types[-1] == "prospect.complained"


def test_erasure_sends_the_id_only_and_purges_what_carried_the_person(session, factory):
    admin = factory.user("admin")
    p = factory.prospect(email="vardenis@example.lt")
    keep = factory.prospect()
    session.commit()
    p.title = "CTO"
    session.commit()
    pid = p.id
    erase_prospect(session, p, admin, clock.now())
    session.commit()
    rows = list(session.scalars(select(WebhookEvent).order_by(WebhookEvent.id)))
    assert [(r.type, r.data) for r in rows if r.prospect_id != keep.id] == [("prospect.erased", {"id": pid})]
    assert "vardenis" not in str([r.data for r in rows])


def test_tasks_closed_by_an_exit_or_a_settled_reminder_send_their_events(session, factory):
    from sequencer.deals.deals import settle_stale_reminder

    e = factory.enrollment()
    call = factory.task(prospect_id=e.prospect_id, enrollment_id=e.id)
    deal = factory.opportunity(stage="proposal")
    reminder = factory.task("stale_opportunity", opportunity_id=deal.id)
    session.commit()
    session.execute(WebhookEvent.__table__.delete())
    now = clock.now()
    exit_enrollment(session, e, now, reason="replied")
    settle_stale_reminder(session, deal.id, now)
    session.commit()
    rows = session.scalars(select(WebhookEvent).where(WebhookEvent.type.like("task.%"))).all()
    assert sorted((r.type, r.data["id"]) for r in rows) == sorted([("task.skipped", call.id),
                                                                    ("task.completed", reminder.id)])
