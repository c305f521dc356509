"""Rules that used to be written once for the web and again (differently) for the API: each is now one service
rule, and these tests drive it through both doors."""
from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from sequencer.models import Enrollment, Opportunity, SequenceStatus, Task, TaskStatus, User
from sequencer.models.mail import MailboxStatus
from sequencer.platform import clock
from tests.conftest import login

NOW = datetime(2026, 3, 4, 10, 0, tzinfo=UTC)


def _deals(session):
    return session.scalars(select(Opportunity).order_by(Opportunity.id)).all()


# 1. One open deal per account -------------------------------------------------------------------------------

def test_api_refuses_a_second_open_deal_for_the_same_account(api, session, factory):
    manager = api("manager")
    company = factory.company(name="Baltic Freight")
    ona, jonas = factory.prospect(company=company), factory.prospect(company=company)
    session.commit()
    first = manager.post("/api/v1/opportunities", {"name": "Freight 2026", "prospect_id": ona.id})
    assert first.status_code == 201
    again = manager.post("/api/v1/opportunities", {"name": "Freight again", "prospect_id": jonas.id})
    assert again.status_code == 409
    assert again.json["error"]["code"] == "duplicate"
    assert again.json["error"]["existing_id"] == first.json["id"]
    assert [d.name for d in _deals(session)] == ["Freight 2026"]


def test_a_closed_deal_does_not_block_a_new_one_and_history_can_be_added(api, session, factory):
    manager = api("manager")
    ona = factory.prospect(company=factory.company())
    session.commit()
    won = manager.post("/api/v1/opportunities", {"name": "2025 deal", "prospect_id": ona.id, "stage": "closed_won"})
    assert won.status_code == 201
    assert manager.post("/api/v1/opportunities", {"name": "2026 deal", "prospect_id": ona.id}).status_code == 201
    assert manager.post("/api/v1/opportunities", {"name": "2024 deal", "prospect_id": ona.id,
                                                  "stage": "closed_lost", "lost_reason": "budget"}).status_code == 201


def test_web_quick_create_uses_the_same_rule(client, session, factory):
    rep = factory.user("rep")
    company = factory.company()
    ona, jonas = factory.prospect(company=company, owner_id=rep.id), factory.prospect(company=company)
    existing = factory.opportunity(stage="proposal", prospect=ona, owner=rep)
    session.commit()
    login(client, rep.email)
    r = client.post("/opportunities/quick", data={"prospect_id": jonas.id})
    assert r.status_code == 302 and r.headers["Location"].endswith(f"/opportunities/{existing.id}")
    assert len(_deals(session)) == 1


# 3. Time-off preferences ------------------------------------------------------------------------------------

def _away_task(session, factory, rep: User) -> Task:
    return factory.task("call", status=TaskStatus.OPEN, owner_id=rep.id, due_at=datetime(2026, 3, 10, 12, 0, tzinfo=UTC),
                        priority=1)


def test_api_time_off_takes_and_reports_the_preferences(api, session, factory):
    clock.freeze(NOW)
    rep = api("rep")
    mate = factory.user("rep", name="Tomas Teammate")
    task = _away_task(session, factory, rep.user)
    session.commit()
    r = rep.post("/api/v1/time-off", {"starts_on": "2026-03-09", "ends_on": "2026-03-13",
                                      "tasks": "reassign", "delegate_id": mate.id, "emails": "delegate"})
    assert r.status_code == 201, r.json
    assert r.json["preferences"] == {"tasks": "reassign", "emails": "delegate", "delegate_id": mate.id}
    session.expire_all()
    assert session.get(Task, task.id).owner_id == mate.id
    stored = session.get(User, rep.user.id)
    assert (stored.time_off_tasks, stored.time_off_emails, stored.time_off_delegate_id) == \
        ("reassign", "delegate", mate.id)


def test_api_time_off_without_preferences_applies_the_ones_the_page_stored(api, client, session, factory):
    clock.freeze(NOW)
    rep = api("rep")
    mate = factory.user("rep")
    task = _away_task(session, factory, rep.user)
    session.commit()
    login(client, rep.user.email)
    page = client.post("/tasks/time-off", data={"starts_on": "2026-04-01", "ends_on": "2026-04-02",
                                                "time_off_tasks": "reassign", "time_off_delegate_id": mate.id})
    assert page.status_code == 302
    r = rep.post("/api/v1/time-off", {"starts_on": "2026-03-09", "ends_on": "2026-03-13"})
    assert r.status_code == 201 and r.json["preferences"]["tasks"] == "reassign"
    session.expire_all()
    assert session.get(Task, task.id).owner_id == mate.id


def test_both_doors_refuse_a_delegate_that_cannot_cover(api, client, session, factory):
    clock.freeze(NOW)
    rep = api("rep")
    admin = factory.user("admin")
    session.commit()
    for delegate in (rep.user.id, admin.id, 999999):
        r = rep.post("/api/v1/time-off", {"starts_on": "2026-03-09", "ends_on": "2026-03-13",
                                          "tasks": "reassign", "delegate_id": delegate})
        assert r.status_code == 422 and r.json["error"]["details"][0]["field"] == "delegate_id"
    r = rep.post("/api/v1/time-off", {"starts_on": "2026-03-09", "ends_on": "2026-03-13", "tasks": "reassign",
                                      "delegate_id": None})
    assert r.status_code == 422 and "teammate who covers" in r.json["error"]["message"]
    login(client, rep.user.email)
    page = client.post("/tasks/time-off", data={"starts_on": "2026-03-09", "ends_on": "2026-03-13",
                                                "time_off_tasks": "reassign", "time_off_delegate_id": admin.id})
    assert page.status_code == 422 and "choose an active teammate" in page.get_data(as_text=True)


# 4. Paused mailboxes ----------------------------------------------------------------------------------------

def test_api_refuses_to_enrol_from_a_paused_mailbox(api, session, factory):
    rep = api("rep")
    box = factory.mailbox(owner_id=rep.user.id, status=MailboxStatus.PAUSED, paused_reason="535 authentication failed")
    seq = factory.sequence(status=SequenceStatus.ACTIVE)
    prospect = factory.prospect(owner_id=rep.user.id)
    session.commit()
    r = rep.post(f"/api/v1/sequences/{seq.id}/enrollments", {"prospect_ids": [prospect.id], "mailbox_id": box.id})
    assert r.status_code == 422
    assert r.json["error"]["details"][0]["field"] == "mailbox_id" and "paused" in r.json["error"]["message"]
    assert session.scalars(select(Enrollment)).all() == []


def test_a_paused_mailbox_is_never_the_default_either(api, session, factory):
    rep = api("rep")
    factory.mailbox(owner_id=rep.user.id, status=MailboxStatus.PAUSED)
    live = factory.mailbox(owner_id=rep.user.id)
    seq = factory.sequence(status=SequenceStatus.ACTIVE)
    prospect = factory.prospect(owner_id=rep.user.id)
    session.commit()
    r = rep.post(f"/api/v1/sequences/{seq.id}/enrollments", {"prospect_ids": [prospect.id]})
    assert r.status_code == 201 and len(r.json["enrolled"]) == 1
    assert session.get(Enrollment, r.json["enrolled"][0]["id"]).mailbox_id == live.id


def test_web_enrol_gives_the_same_answer(client, session, factory):
    rep = factory.user("rep")
    box = factory.mailbox(owner_id=rep.id, status=MailboxStatus.PAUSED, paused_reason="bounces")
    other = factory.mailbox(owner_id=factory.user("rep").id)
    seq = factory.sequence(status=SequenceStatus.ACTIVE)
    prospect = factory.prospect(owner_id=rep.id)
    session.commit()
    login(client, rep.email)
    paused = client.post("/enroll", data={"sequence_id": seq.id, "mailbox_id": box.id, "ids": [prospect.id]})
    assert paused.status_code == 422 and "is paused (bounces)" in paused.get_data(as_text=True)
    foreign = client.post("/enroll", data={"sequence_id": seq.id, "mailbox_id": other.id, "ids": [prospect.id]})
    assert foreign.status_code == 403 and "own mailboxes" in foreign.get_data(as_text=True)
    assert session.scalars(select(Enrollment)).all() == []
