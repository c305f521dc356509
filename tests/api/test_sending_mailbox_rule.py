"""One rule on every door: a rep sends only from their own mailboxes (import, enrol default, enrol page, API)."""
from __future__ import annotations

import io

from sqlalchemy import select

from sequencer.models import Enrollment, ProspectImport, SequenceStatus
from tests.conftest import login
from tests.people.csv_import.helpers import csv_bytes

ROWS = [["Email", "First name"], ["ona@uab.lt", "Ona"]]


def _import(caller, **form):
    return caller.post("/api/v1/prospects/import", data={"file": (io.BytesIO(csv_bytes(ROWS)), "list.csv"), **form},
                       content_type="multipart/form-data")


def test_api_import_refuses_another_reps_mailbox(api, factory, session):
    rep, other = api("rep"), factory.user("rep")
    theirs = factory.mailbox(owner_id=other.id)
    mine = factory.mailbox(owner_id=rep.user.id)
    seq = factory.sequence(steps=1, status=SequenceStatus.ACTIVE)
    session.commit()
    res = _import(rep, sequence_id=str(seq.id), mailbox_id=str(theirs.id))
    assert res.status_code == 403, res.json
    assert "own mailboxes" in res.json["error"]["message"]
    assert session.scalars(select(Enrollment)).all() == []
    res = _import(rep, sequence_id=str(seq.id), mailbox_id=str(mine.id))
    assert res.status_code == 202, res.json
    assert [e.mailbox_id for e in session.scalars(select(Enrollment))] == [mine.id]


def test_api_enrolment_without_a_mailbox_never_picks_another_reps(api, factory, session):
    rep, other = api("rep"), factory.user("rep")
    factory.mailbox(owner_id=other.id)
    mine = factory.mailbox(owner_id=rep.user.id)
    seq = factory.sequence(steps=1, status=SequenceStatus.ACTIVE)
    theirs_prospect = factory.prospect(owner_id=other.id)
    session.commit()
    res = rep.post(f"/api/v1/sequences/{seq.id}/enrollments", json={"prospect_ids": [theirs_prospect.id]})
    assert res.status_code == 201, res.json
    assert [e.mailbox_id for e in session.scalars(select(Enrollment))] == [mine.id]


def test_api_enrolment_without_a_mailbox_skips_when_the_rep_has_none(api, factory, session):
    rep, other = api("rep"), factory.user("rep")
    factory.mailbox(owner_id=other.id)
    seq = factory.sequence(steps=1, status=SequenceStatus.ACTIVE)
    theirs_prospect = factory.prospect(owner_id=other.id)
    session.commit()
    res = rep.post(f"/api/v1/sequences/{seq.id}/enrollments", json={"prospect_ids": [theirs_prospect.id]})
    assert res.status_code == 201, res.json
    assert res.json["skipped"][0]["reason"] == "no_mailbox"
    assert session.scalars(select(Enrollment)).all() == []


def test_manager_enrolment_still_sends_from_the_prospect_owners_mailbox(api, factory, session):
    manager, rep = api("manager"), factory.user("rep")
    theirs = factory.mailbox(owner_id=rep.id)
    factory.mailbox(owner_id=manager.user.id)
    seq = factory.sequence(steps=1, status=SequenceStatus.ACTIVE)
    prospect = factory.prospect(owner_id=rep.id)
    session.commit()
    res = manager.post(f"/api/v1/sequences/{seq.id}/enrollments", json={"prospect_ids": [prospect.id]})
    assert res.status_code == 201, res.json
    assert [e.mailbox_id for e in session.scalars(select(Enrollment))] == [theirs.id]


def test_ui_import_lists_and_accepts_only_the_reps_own_mailboxes(client, factory, session):
    rep, other = factory.user("rep"), factory.user("rep")
    theirs = factory.mailbox(owner_id=other.id, email="theirs@sequencer.test")
    mine = factory.mailbox(owner_id=rep.id, email="mine@sequencer.test")
    seq = factory.sequence(steps=1, status=SequenceStatus.ACTIVE)
    session.commit()
    login(client, rep.email)
    res = client.post("/prospects/import", data={"file": (io.BytesIO(csv_bytes(ROWS)), "list.csv")},
                      content_type="multipart/form-data")
    mapping_url = res.headers["Location"]
    page = client.get(mapping_url).get_data(as_text=True)
    assert "mine@sequencer.test" in page and "theirs@sequencer.test" not in page
    res = client.post(mapping_url, data={"col-0": "email", "col-1": "first_name", "on_duplicate": "update_empty",
                                         "sequence_id": seq.id, "mailbox_id": theirs.id})
    assert res.status_code == 403 and "own mailboxes" in res.get_data(as_text=True)
    assert session.scalars(select(Enrollment)).all() == []
    assert session.scalars(select(ProspectImport)).one().status.value == "mapping"
    res = client.post(mapping_url, data={"col-0": "email", "col-1": "first_name", "on_duplicate": "update_empty",
                                         "sequence_id": seq.id, "mailbox_id": mine.id})
    assert res.status_code == 302
    assert [e.mailbox_id for e in session.scalars(select(Enrollment))] == [mine.id]


def test_ui_enrol_page_defaults_to_the_reps_own_mailbox(client, factory, session):
    rep, other = factory.user("rep"), factory.user("rep")
    factory.mailbox(owner_id=other.id)
    mine = factory.mailbox(owner_id=rep.id)
    seq = factory.sequence(steps=1, status=SequenceStatus.ACTIVE)
    prospect = factory.prospect(owner_id=other.id)
    session.commit()
    login(client, rep.email)
    res = client.post("/enroll", data={"ids": [prospect.id], "sequence_id": seq.id, "mailbox_id": ""})
    assert res.status_code in (200, 302), res.get_data(as_text=True)[:500]
    assert [e.mailbox_id for e in session.scalars(select(Enrollment))] == [mine.id]
