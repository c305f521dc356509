"""Likely duplicates across emails, and merging two prospects without losing their history."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from sequencer.accounts.workspace import get_workspace
from sequencer.models import Enrollment, Event, Prospect, ProspectStatus, SequenceStatus, Task
from sequencer.outreach.enrol import enroll
from sequencer.people.duplicates import alias_key, likely_duplicates, merge_prospects
from sequencer.platform import clock


def test_alias_addresses_and_same_person_at_same_company_are_found(session, factory):
    acme = factory.company(name="Acme", domain="acme.com")
    a = factory.prospect(email="anna+news@acme.com", first_name="Anna", last_name="Berg")
    b = factory.prospect(email="anna@acme.com", first_name="A.", last_name="Berg")
    c = factory.prospect(email="a.berg@acme.com", first_name="Anna", last_name="Berg", company_id=acme.id)
    d = factory.prospect(email="anna.berg@acme-old.com", first_name="Anna", last_name="Bérg", company_id=acme.id)
    factory.prospect(email="anna@gmail.com", first_name="Anna", last_name="Berg")
    factory.prospect(email="anna@other.com", first_name="Anna", last_name="Berg")
    session.commit()
    found = {(p.a.id, p.b.id): p.reason for p in likely_duplicates(session)}
    assert found == {(a.id, b.id): "alias of the same address", (c.id, d.id): "same name at the same company"}
    assert alias_key("Ann.A+x@googlemail.com") == alias_key("anna@gmail.com")


def test_merge_keeps_enrolments_events_tasks_and_the_stricter_status(session, factory):
    user = factory.user("manager")
    box = factory.mailbox(owner_id=user.id)
    get_workspace(session).allow_multiple_enrollments = True
    s1, s2 = factory.sequence(status=SequenceStatus.ACTIVE), factory.sequence(status=SequenceStatus.ACTIVE)
    keep = factory.prospect(email="anna@acme.com", title=None, fields={"tier": "A"})
    drop = factory.prospect(email="anna+x@acme.com", title="CFO", phone="+37061234567",
                            status=ProspectStatus.UNSUBSCRIBED, fields={"tier": "B", "source": "fair"})
    enroll(session, s1, [keep.id], actor=user, now=clock.now(), mailbox_id=box.id)
    drop.status = ProspectStatus.ACTIVE
    enroll(session, s1, [drop.id], actor=user, now=clock.now(), mailbox_id=box.id)
    enroll(session, s2, [drop.id], actor=user, now=clock.now(), mailbox_id=box.id)
    drop.status = ProspectStatus.UNSUBSCRIBED
    factory.task("call", prospect_id=drop.id, title="Call", due_at=clock.now() + timedelta(days=1))
    session.commit()
    drop_id = drop.id

    merge_prospects(session, keep, drop, user, clock.now())
    session.commit()
    assert session.get(Prospect, drop_id) is None
    enrolments = session.scalars(select(Enrollment).where(Enrollment.prospect_id == keep.id)).all()
    assert len(enrolments) == 3  # none lost; the duplicate run through s1 was stopped
    assert sorted((e.sequence_id, e.status.value) for e in enrolments) == sorted(
        [(s1.id, "active"), (s1.id, "exited"), (s2.id, "active")])
    assert session.scalar(select(func.count(Task.id)).where(Task.prospect_id == keep.id)) == 1
    assert session.scalar(select(func.count(Event.id)).where(Event.prospect_id == keep.id,
                                                             Event.kind == "enrolled")) == 3
    assert (keep.title, keep.phone, keep.status) == ("CFO", "+37061234567", ProspectStatus.UNSUBSCRIBED)
    assert keep.fields == {"tier": "A", "source": "fair", "other_emails": ["anna+x@acme.com"]}
