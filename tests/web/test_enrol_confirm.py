"""Issue 23 defect 9 on the enrol page: the count, the exclusions and the time to send at the cap, then confirm."""
from __future__ import annotations

from sequencer.models import Enrollment, ProspectStatus, SequenceStatus


def test_the_enrol_page_asks_to_confirm_with_the_numbers_before_enrolling(client, as_role, factory, session):
    manager = as_role("manager")
    box = factory.mailbox(owner_id=manager.id, daily_limit=150)
    seq = factory.sequence(steps=2, status=SequenceStatus.ACTIVE)
    people = [factory.prospect(owner_id=manager.id) for _ in range(4)]
    people[0].status = ProspectStatus.BOUNCED
    session.commit()
    form = {"sequence_id": str(seq.id), "mailbox_id": str(box.id), "ids": [str(p.id) for p in people]}
    page = client.post("/enroll", data=form)
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and session.query(Enrollment).count() == 0, html[:1500]
    assert 'id="enrol-check"' in html and "3 prospects" in html and "150/day" in html
    assert "Email address bounced" in html and 'name="confirmed"' in html
    done = client.post("/enroll", data={**form, "confirmed": "1"})
    assert done.status_code == 200 and session.query(Enrollment).count() == 3
