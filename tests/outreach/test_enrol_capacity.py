"""Issue 23 defect 9: before a mass enrolment the sender sees how many, who is excluded and how long step 1 takes
to send at the mailbox's daily cap (business days), and must confirm; the API can ask for the same estimate."""
from __future__ import annotations

from datetime import UTC, datetime

from sequencer.models import Enrollment, ProspectStatus, SequenceStatus
from sequencer.outreach.capacity import estimate
from sequencer.platform import clock

MONDAY = datetime(2026, 3, 2, 7, 0, tzinfo=UTC)


def _world(factory, session, prospects: int, cap: int):
    manager = factory.user("manager")
    box = factory.mailbox(owner_id=manager.id, daily_limit=cap)
    seq = factory.sequence(steps=2, status=SequenceStatus.ACTIVE)
    people = [factory.prospect(owner_id=manager.id) for _ in range(prospects)]
    people[0].status = ProspectStatus.UNSUBSCRIBED
    session.commit()
    return manager, box, seq, people


def test_estimate_counts_exclusions_and_business_days_at_the_cap(session, factory):
    manager, box, seq, people = _world(factory, session, 31, cap=10)
    with clock.frozen(MONDAY):
        est = estimate(session, seq, [p.id for p in people], actor=manager, now=MONDAY, mailbox_id=box.id)
    assert est.count == 30 and est.excluded == {"unsubscribed": 1}
    [load] = est.mailboxes
    assert (load.email, load.prospects, load.daily_limit, load.business_days) == (box.email, 30, 10, 3)
    assert load.last_day.isoformat() == "2026-03-04"  # Mon, Tue, Wed
    assert est.business_days == 3
    assert session.query(Enrollment).count() == 0  # an estimate stores nothing


def test_the_api_answers_the_estimate_without_enrolling(client, factory, session):
    manager, box, seq, people = _world(factory, session, 5, cap=2)
    headers = {"Authorization": f"Bearer {factory.token(manager)}"}
    r = client.post(f"/api/v1/sequences/{seq.id}/enrollments/estimate", headers=headers,
                    json={"prospect_ids": [p.id for p in people], "mailbox_id": box.id})
    assert r.status_code == 200, r.json
    assert r.json["count"] == 4 and r.json["excluded"] == {"unsubscribed": 1} and r.json["business_days"] == 2
    assert r.json["mailboxes"][0]["daily_limit"] == 2
    assert session.query(Enrollment).count() == 0
