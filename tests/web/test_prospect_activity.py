"""Issue 23 basics: from a prospect's page a rep logs a call (the call outcomes, the same events as the queue)
and adds a note; both show on the timeline at once; a teammate's prospect is refused."""
from __future__ import annotations

from sqlalchemy import select

from sequencer.models import Event, Task, TaskStatus
from sequencer.models.tasks import TaskType


def test_log_a_call_and_add_a_note_on_the_prospect_page(client, as_role, factory, session):
    rep = as_role("rep")
    prospect = factory.prospect(first_name="Ona", owner_id=rep.id, phone="+37060012345")
    session.commit()
    page = client.get(f"/prospects/{prospect.id}").get_data(as_text=True)
    assert 'id="log-call"' in page and 'id="add-note"' in page and "Left voicemail" in page
    r = client.post(f"/prospects/{prospect.id}/calls", data={"outcome": "connected", "notes": "Budget in Q2"},
                    follow_redirects=True)
    html = r.get_data(as_text=True)
    assert r.status_code == 200 and "Call logged" in html
    call = session.scalars(select(Task).where(Task.prospect_id == prospect.id)).one()
    assert (call.type, call.status, call.outcome, call.owner_id) == (TaskType.CALL, TaskStatus.DONE, "connected", rep.id)
    timeline = html.split("<h2>Timeline</h2>", 1)[1]
    assert "Task completed" in timeline and "Connected" in timeline and "Budget in Q2" in timeline
    r = client.post(f"/prospects/{prospect.id}/notes", data={"note": "Prefers email in the mornings"},
                    follow_redirects=True)
    assert "Prefers email in the mornings" in r.get_data(as_text=True).split("<h2>Timeline</h2>", 1)[1]
    assert session.scalars(select(Event.kind).where(Event.prospect_id == prospect.id)).all().count("note") == 1


def test_bad_input_and_a_teammates_prospect_are_refused(client, as_role, factory, session):
    rep = as_role("rep")
    other = factory.prospect(owner_id=factory.user("rep").id)
    mine = factory.prospect(owner_id=rep.id)
    session.commit()
    assert client.post(f"/prospects/{other.id}/notes", data={"note": "x"}).status_code == 403
    r = client.post(f"/prospects/{mine.id}/notes", data={"note": "  "}, follow_redirects=True)
    assert "write something" in r.get_data(as_text=True)
    r = client.post(f"/prospects/{mine.id}/calls", data={"outcome": "teleported"}, follow_redirects=True)
    assert "unknown outcome" in r.get_data(as_text=True)
    assert session.scalars(select(Task).where(Task.prospect_id == mine.id)).all() == []
