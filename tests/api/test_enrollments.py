from datetime import UTC, datetime, timedelta

import pytest

from sequencer.models import Enrollment, EnrollmentStatus, ProspectStatus, Suppression
from sequencer.models.crm import SuppressionKind
from sequencer.platform import clock
from tests.api.sequence_payloads import four_step_ab

# Tuesday 1 December 2026, 10:00 in Vilnius: inside the window on a business day
TUESDAY = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)


@pytest.fixture
def setup(api, factory, session):
    clock.freeze(TUESDAY)
    factory.persona("cfo")
    factory.persona("cto")
    manager = api("manager")
    rep = api("rep")
    seq = manager.post("/api/v1/sequences", json=four_step_ab()).json
    manager.post(f"/api/v1/sequences/{seq['id']}/activate")
    mailbox = factory.mailbox(owner_id=rep.user.id)
    session.commit()
    return {"manager": manager, "rep": rep, "seq": seq, "mailbox": mailbox}


def _enrol(caller, seq_id, ids, **kw):
    return caller.post(f"/api/v1/sequences/{seq_id}/enrollments", json={"prospect_ids": ids, **kw})


def test_enrol_reports_every_skip_with_its_reason(setup, factory, session):
    ok = factory.prospect(timezone="Europe/Vilnius", country="LT")
    unsub = factory.prospect(status=ProspectStatus.UNSUBSCRIBED)
    bounced = factory.prospect(status=ProspectStatus.BOUNCED)
    dnc = factory.prospect(status=ProspectStatus.DO_NOT_CONTACT)
    competitor = factory.prospect(email="ceo@rival.example")
    session.add(Suppression(kind=SuppressionKind.DOMAIN, value="rival.example", reason="competitor"))
    session.commit()
    res = _enrol(setup["rep"], setup["seq"]["id"], [ok.id, unsub.id, bounced.id, dnc.id, competitor.id, 999999])
    assert res.status_code == 201, res.json
    assert [e["prospect_id"] for e in res.json["enrolled"]] == [ok.id]
    assert {(s["prospect_id"], s["reason"]) for s in res.json["skipped"]} == {
        (unsub.id, "unsubscribed"), (bounced.id, "bounced"), (dnc.id, "do_not_contact"),
        (competitor.id, "suppressed"), (999999, "not_found")}

    again = _enrol(setup["rep"], setup["seq"]["id"], [ok.id]).json
    assert again == {"enrolled": [], "skipped": [{"prospect_id": ok.id, "reason": "already_enrolled"}]}


def test_one_active_enrolment_per_prospect_across_sequences(setup, factory, session):
    p = factory.prospect()
    session.commit()
    _enrol(setup["rep"], setup["seq"]["id"], [p.id])
    other = setup["manager"].post("/api/v1/sequences", json=four_step_ab("Other")).json
    setup["manager"].post(f"/api/v1/sequences/{other['id']}/activate")
    res = _enrol(setup["rep"], other["id"], [p.id]).json
    assert res["skipped"] == [{"prospect_id": p.id, "reason": "active_in_other_sequence"}]


def test_draft_sequence_skips_everyone(setup, factory, session):
    p = factory.prospect()
    session.commit()
    draft = setup["manager"].post("/api/v1/sequences", json=four_step_ab("Draft")).json
    res = _enrol(setup["rep"], draft["id"], [p.id]).json
    assert res["skipped"] == [{"prospect_id": p.id, "reason": "sequence_not_active"}]


def test_reenrolment_obeys_the_cooldown(setup, factory, session):
    p = factory.prospect()
    session.commit()
    eid = _enrol(setup["rep"], setup["seq"]["id"], [p.id]).json["enrolled"][0]["id"]
    row = session.get(Enrollment, eid)
    row.status, row.ended_at = EnrollmentStatus.FINISHED, TUESDAY - timedelta(days=5)
    session.commit()
    assert _enrol(setup["rep"], setup["seq"]["id"], [p.id]).json["skipped"][0]["reason"] == "cooldown"
    row.ended_at = TUESDAY - timedelta(days=60)
    session.commit()
    assert len(_enrol(setup["rep"], setup["seq"]["id"], [p.id]).json["enrolled"]) == 1


def test_enrolment_view_has_one_entry_per_step(setup, factory, session):
    p = factory.prospect(timezone="Europe/Vilnius", country="LT")
    session.commit()
    eid = _enrol(setup["rep"], setup["seq"]["id"], [p.id]).json["enrolled"][0]["id"]
    view = setup["rep"].get(f"/api/v1/enrollments/{eid}").json
    assert view["status"] == "active" and view["mailbox_id"] == setup["mailbox"].id
    assert [s["position"] for s in view["steps"]] == [1, 2, 3, 4]
    first, *rest = view["steps"]
    assert first["status"] == "scheduled" and first["due_at"] == "2026-12-01T08:00:00Z"
    assert first["variant"] in {"A", "B"}
    assert view["next_due_at"] == "2026-12-01T08:00:00Z"
    assert [s["status"] for s in rest] == ["pending"] * 3
    # call 2 business days later (Thu 3 Dec 09:00 Vilnius), email 3 after (Tue 8 Dec), LinkedIn 1 after (Wed 9)
    assert [s["projected_at"] for s in rest] == ["2026-12-03T07:00:00Z", "2026-12-08T07:00:00Z",
                                                 "2026-12-09T07:00:00Z"]


def test_variant_assignment_is_stable(setup, factory, session):
    prospects = [factory.prospect() for _ in range(40)]
    session.commit()
    ids = [e["id"] for e in _enrol(setup["rep"], setup["seq"]["id"], [p.id for p in prospects]).json["enrolled"]]
    first = [setup["rep"].get(f"/api/v1/enrollments/{i}").json["steps"][0]["variant"] for i in ids]
    assert set(first) == {"A", "B"}
    assert first == [setup["rep"].get(f"/api/v1/enrollments/{i}").json["steps"][0]["variant"] for i in ids]


def test_pause_resume_exit(setup, factory, session):
    p = factory.prospect()
    session.commit()
    eid = _enrol(setup["rep"], setup["seq"]["id"], [p.id]).json["enrolled"][0]["id"]
    rep = setup["rep"]
    until = "2026-12-10T08:00:00Z"
    res = rep.post(f"/api/v1/enrollments/{eid}/pause", json={"until": until})
    assert res.json["status"] == "paused" and res.json["paused_until"] == until
    assert res.json["next_due_at"] is None
    res = rep.post(f"/api/v1/enrollments/{eid}/resume")
    assert res.json["status"] == "active" and res.json["paused_until"] is None
    assert rep.post(f"/api/v1/enrollments/{eid}/resume").status_code == 409
    res = rep.post(f"/api/v1/enrollments/{eid}/exit", json={"reason": "manual"})
    assert res.json["status"] == "exited" and res.json["exit_reason"] == "manual"
    assert res.json["steps"][0]["status"] == "skipped"
    assert rep.post(f"/api/v1/enrollments/{eid}/exit", json={"reason": "manual"}).status_code == 409
    assert rep.post(f"/api/v1/enrollments/{eid}/pause").status_code == 409


def test_pause_until_must_be_future_and_aware(setup, factory, session):
    p = factory.prospect()
    session.commit()
    eid = _enrol(setup["rep"], setup["seq"]["id"], [p.id]).json["enrolled"][0]["id"]
    res = setup["rep"].post(f"/api/v1/enrollments/{eid}/pause", json={"until": "2020-01-01T00:00:00Z"})
    assert res.status_code == 422
    res = setup["rep"].post(f"/api/v1/enrollments/{eid}/pause", json={"until": "2026-12-10T08:00:00"})
    assert res.status_code == 422 and res.json["error"]["details"][0]["field"] == "until"


def test_reps_see_only_their_own_enrolments(setup, factory, session, api):
    p = factory.prospect()
    session.commit()
    eid = _enrol(setup["rep"], setup["seq"]["id"], [p.id]).json["enrolled"][0]["id"]
    assert api("rep").get(f"/api/v1/enrollments/{eid}").status_code == 403
    assert setup["manager"].get(f"/api/v1/enrollments/{eid}").status_code == 200
    assert setup["rep"].get("/api/v1/enrollments/424242").status_code == 404


def test_enrol_input_errors(setup):
    res = setup["rep"].post(f"/api/v1/sequences/{setup['seq']['id']}/enrollments", json={"prospect_ids": "x"})
    assert res.status_code == 422 and res.json["error"]["details"][0]["field"] == "prospect_ids"
    res = _enrol(setup["rep"], setup["seq"]["id"], [1], mailbox_id=987654)
    assert res.status_code == 422 and res.json["error"]["details"][0]["field"] == "mailbox_id"
    assert _enrol(setup["rep"], 987654, [1]).status_code == 404


def test_reps_send_only_from_their_own_mailboxes(setup, factory, session, api):
    p = factory.prospect()
    someone_elses = factory.mailbox(owner_id=setup["manager"].user.id)
    session.commit()
    res = _enrol(setup["rep"], setup["seq"]["id"], [p.id], mailbox_id=someone_elses.id)
    assert res.status_code == 403 and res.json["error"]["code"] == "forbidden"
    res = _enrol(setup["manager"], setup["seq"]["id"], [p.id], mailbox_id=someone_elses.id)
    assert res.status_code == 201 and res.json["enrolled"][0]["prospect_id"] == p.id
