"""Who may suppress what: managers any address or domain; a rep only the addresses of their own prospects."""
from __future__ import annotations

import io

import pytest
from sqlalchemy import select

from sequencer.errors import Forbidden
from sequencer.models import Enrollment, EnrollmentStatus, SequenceStatus, Suppression
from sequencer.outreach.enrol import enroll
from sequencer.people.suppression.admin import add_entries, import_entries, remove_entry
from sequencer.platform import clock
from tests.conftest import login
from tests.people.csv_import.helpers import csv_bytes


@pytest.fixture
def team(factory, session):
    """Two reps; each has a prospect at rival.com in a live enrolment."""
    mine, theirs = factory.user("rep"), factory.user("rep")
    seq = factory.sequence(steps=1, status=SequenceStatus.ACTIVE)
    people = {}
    for rep, email in ((mine, "ona@rival.com"), (theirs, "jonas@rival.com")):
        box = factory.mailbox(owner_id=rep.id)
        prospect = factory.prospect(email=email, owner_id=rep.id)
        enroll(session, seq, [prospect.id], actor=rep, now=clock.now(), mailbox_id=box.id)
        people[email] = prospect
    session.commit()
    return mine, theirs, people


def _live(session) -> set[str]:
    session.expire_all()
    return {e.prospect.email for e in session.scalars(select(Enrollment))
            if e.status == EnrollmentStatus.ACTIVE}


def test_a_rep_cannot_suppress_a_domain_or_a_teammates_prospect(session, team):
    mine, _, _ = team
    for entries in ([(1, "rival.com")], [(1, "@rival.com")], [(1, "jonas@rival.com")],
                    [(1, "ona@rival.com"), (2, "stranger@elsewhere.com")]):
        with pytest.raises(Forbidden) as info:
            add_entries(session, entries, "competitor", clock.now(), actor=mine)
        assert "own prospects" in info.value.message
    session.rollback()
    assert session.scalars(select(Suppression)).all() == []
    assert _live(session) == {"ona@rival.com", "jonas@rival.com"}


def test_a_rep_suppresses_their_own_prospects_address(session, team):
    mine, _, _ = team
    result = add_entries(session, [(1, "Ona@Rival.com")], "do_not_contact", clock.now(), actor=mine)
    session.commit()
    assert (result.added, result.stopped) == (1, 1)
    assert _live(session) == {"jonas@rival.com"}


def test_a_manager_suppresses_the_domain_for_everyone(session, factory, team):
    manager = factory.user("manager")
    result = add_entries(session, [(1, "rival.com")], "competitor", clock.now(), actor=manager)
    session.commit()
    assert result.stopped == 2 and _live(session) == set()
    row = session.scalars(select(Suppression)).one()
    with pytest.raises(Forbidden):
        remove_entry(session, row.id, actor=team[0])
    remove_entry(session, row.id, actor=manager)


def test_csv_import_of_entries_follows_the_same_rule(session, team, tmp_path):
    mine, _, _ = team
    path = tmp_path / "dnc.csv"
    path.write_bytes(csv_bytes([["Email or domain"], ["ona@rival.com"], ["rival.com"]]))
    with pytest.raises(Forbidden):
        import_entries(session, str(path), "competitor", clock.now(), actor=mine)
    session.rollback()
    assert _live(session) == {"ona@rival.com", "jonas@rival.com"}


def test_ui_refuses_a_reps_domain_and_keeps_teammates_enrolments(client, session, team):
    mine, _, _ = team
    login(client, mine.email)
    page = client.get("/suppressions").get_data(as_text=True)
    assert "Addresses of your prospects" in page
    res = client.post("/suppressions", data={"entries": "rival.com", "reason": "competitor"}, follow_redirects=True)
    assert "own prospects" in res.get_data(as_text=True)
    data = csv_bytes([["x"], ["jonas@rival.com"]])
    res = client.post("/suppressions", data={"file": (io.BytesIO(data), "dnc.csv"), "reason": "competitor"},
                      content_type="multipart/form-data", follow_redirects=True)
    assert "own prospects" in res.get_data(as_text=True)
    assert session.scalars(select(Suppression)).all() == []
    assert _live(session) == {"ona@rival.com", "jonas@rival.com"}
