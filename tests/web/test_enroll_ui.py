"""Enrolling from the UI (a selection, or a filter resolved on the server) and the enrolment buttons."""
from __future__ import annotations

import re
from datetime import UTC, datetime

from sequencer.models import Enrollment, EnrollmentStatus, ProspectStatus, SequenceStatus, StepRunState
from sequencer.outreach.enrol import enroll
from sequencer.platform import clock

NOW = datetime(2026, 3, 4, 10, 0, tzinfo=UTC)  # a Wednesday


def _setup(factory, session, user):
    clock.freeze(NOW)
    seq = factory.sequence(steps=3, name="Q1 CFO outbound", status=SequenceStatus.ACTIVE)
    mailbox = factory.mailbox(email="sales@sender.test", owner_id=user.id)
    return seq, mailbox


def _enrolled_ids(session, seq):
    return sorted(e.prospect_id for e in session.query(Enrollment).filter_by(sequence_id=seq.id))


def test_enrol_a_selection_shows_counts_and_skip_reasons(client, as_role, factory, session):
    manager = as_role("manager")
    seq, mailbox = _setup(factory, session, manager)
    ok = [factory.prospect(first_name="Ok", last_name=str(n)) for n in range(3)]
    gone = factory.prospect(first_name="Unsub", last_name="Scribed", status=ProspectStatus.UNSUBSCRIBED)
    dnc = factory.prospect(first_name="Do", last_name="Not", status=ProspectStatus.DO_NOT_CONTACT)
    session.commit()
    ids = [p.id for p in ok] + [gone.id, dnc.id]
    form = client.get("/enroll", query_string={"ids": ids}).get_data(as_text=True)
    assert "5 selected prospects" in form and "Q1 CFO outbound" in form and "Check and enrol 5 prospects" in form
    res = client.post("/enroll", data={"ids": ids, "sequence_id": seq.id, "mailbox_id": "", "confirmed": "1"})
    assert res.status_code == 200
    html = res.get_data(as_text=True)
    assert "3 enrolled, 2 skipped" in html
    assert re.search(r"Unsub Scribed</a>.*?Unsubscribed from our emails", html, re.S)
    assert re.search(r"Do Not</a>.*?Marked do not contact", html, re.S)
    assert _enrolled_ids(session, seq) == sorted(p.id for p in ok)
    assert {e.mailbox_id for e in session.query(Enrollment)} == {mailbox.id}  # the actor's mailbox by default
    again = client.post("/enroll", data={"ids": [ok[0].id], "sequence_id": seq.id}).get_data(as_text=True)
    assert "0 enrolled, 1 skipped" in again and "Already in this sequence" in again


def test_enrol_by_filter_resolves_ids_on_the_server(client, as_role, factory, session):
    manager = as_role("manager")
    seq, _ = _setup(factory, session, manager)
    cfo = factory.persona("cfo", name="CFO")
    lt = [factory.prospect(last_name=f"LT{n:02d}", persona=cfo, country="LT") for n in range(60)]
    factory.prospect(last_name="DE", persona=cfo, country="DE")
    factory.prospect(last_name="NoPersona", country="LT")
    bounced = factory.prospect(last_name="Bounced", persona=cfo, country="LT", status=ProspectStatus.BOUNCED)
    session.commit()
    listing = client.get("/prospects?persona=cfo&country=LT").get_data(as_text=True)
    assert listing.count('class="row-check"') == 50 and 'name="mode" value="filter"' in listing
    assert "Select all 61 matching this filter" in listing
    assert '<input type="hidden" name="persona" value="cfo">' in listing
    form = client.get("/enroll", query_string={"mode": "filter", "persona": "cfo", "country": "LT"})
    html = form.get_data(as_text=True)
    assert "All 61 prospects matching persona: cfo, country: LT" in html
    assert 'name="ids"' not in html  # the filter travels, not the ids
    res = client.post("/enroll", data={"mode": "filter", "persona": "cfo", "country": "LT",
                                       "sequence_id": seq.id, "start_at": "2026-03-09T09:30", "confirmed": "1"})
    html = res.get_data(as_text=True)
    assert "60 enrolled, 1 skipped" in html and "Email address bounced" in html and "Bounced" in html
    assert _enrolled_ids(session, seq) == sorted(p.id for p in lt)
    assert bounced.id not in _enrolled_ids(session, seq)


def test_form_errors_and_no_selection(client, as_role, factory, session):
    manager = as_role("manager")
    _setup(factory, session, manager)
    p = factory.prospect()
    session.commit()
    res = client.post("/enroll", data={"ids": [p.id], "sequence_id": ""})
    assert res.status_code == 422 and "Choose a sequence." in res.get_data(as_text=True)
    res = client.post("/enroll", data={"sequence_id": "1"})
    assert res.status_code == 422 and "No prospects selected." in res.get_data(as_text=True)


def test_rep_cannot_send_from_someone_elses_mailbox(client, as_role, factory, session):
    rep = as_role("rep")
    seq, _ = _setup(factory, session, factory.user("manager"))
    other_box = factory.mailbox(owner_id=factory.user("rep").id)
    own_box = factory.mailbox(owner_id=rep.id, email="rep@sender.test")
    p = factory.prospect(owner_id=rep.id)
    session.commit()
    form = client.get("/enroll", query_string={"ids": p.id}).get_data(as_text=True)
    assert other_box.email not in form and f'<option value="{own_box.id}" selected>' in form
    res = client.post("/enroll", data={"ids": [p.id], "sequence_id": seq.id, "mailbox_id": other_box.id})
    assert res.status_code == 403
    assert _enrolled_ids(session, seq) == []


def _enrolment(session, factory, seq, actor, **prospect_kw):
    prospect = factory.prospect(**prospect_kw)
    result = enroll(session, seq, [prospect.id], actor=actor, now=clock.now())
    session.commit()
    return session.get(Enrollment, result.enrolled[0][0])


def test_prospect_page_shows_steps_in_the_prospects_zone(client, as_role, factory, session):
    manager = as_role("manager", timezone="Europe/Vilnius")
    seq, _ = _setup(factory, session, manager)
    e = _enrolment(session, factory, seq, manager, first_name="Ona", timezone="America/New_York")
    html = client.get(f"/prospects/{e.prospect_id}").get_data(as_text=True)
    assert "Enrol in sequence" in html and "times in America/New_York" in html
    assert "1 · Scheduled" in html and "2 · Pending" in html and "3 · Pending" in html
    assert "due</span> Wed 04 Mar, 09:00 EST" in html  # 10:00 UTC is before the 9-17 window in New York
    assert "≈ " in html  # later steps carry a projected time
    assert f'action="/enrollments/{e.id}/pause"' in html and f'action="/enrollments/{e.id}/exit"' in html


def test_pause_resume_exit_buttons(client, as_role, factory, session):
    manager = as_role("manager")
    seq, _ = _setup(factory, session, manager)
    e = _enrolment(session, factory, seq, manager, timezone="Europe/Vilnius")
    res = client.post(f"/enrollments/{e.id}/pause", data={"until": "2026-03-10"})
    assert res.status_code == 302 and res.headers["Location"].endswith(f"/prospects/{e.prospect_id}")
    session.expire_all()
    assert e.status == EnrollmentStatus.PAUSED
    assert e.paused_until.astimezone(UTC) == datetime(2026, 3, 9, 22, 0, tzinfo=UTC)  # midnight Vilnius
    page = client.get(f"/prospects/{e.prospect_id}").get_data(as_text=True)
    assert "paused until 10 Mar 2026, 00:00 EET" in page and f'action="/enrollments/{e.id}/resume"' in page
    assert client.post(f"/enrollments/{e.id}/resume").status_code == 302
    session.expire_all()
    assert e.status == EnrollmentStatus.ACTIVE and e.paused_until is None
    assert client.post(f"/enrollments/{e.id}/exit", data={"reason": "meeting_booked"}).status_code == 302
    session.expire_all()
    assert e.status == EnrollmentStatus.EXITED and e.exit_reason == "meeting_booked"
    assert {r.state for r in e.step_runs} == {StepRunState.SKIPPED}
    page = client.get(f"/prospects/{e.prospect_id}", follow_redirects=True).get_data(as_text=True)
    assert f'action="/enrollments/{e.id}/exit"' not in page  # no buttons on an ended enrolment
    again = client.post(f"/enrollments/{e.id}/resume", follow_redirects=True).get_data(as_text=True)
    assert "Q1 CFO outbound: the enrolment is exited" in again


def test_pause_without_date_waits_until_resumed(client, as_role, factory, session):
    manager = as_role("manager")
    seq, _ = _setup(factory, session, manager)
    e = _enrolment(session, factory, seq, manager)
    client.post(f"/enrollments/{e.id}/pause", data={"until": ""})
    session.expire_all()
    assert e.status == EnrollmentStatus.PAUSED and e.paused_until is None


def test_rep_cannot_exit_someone_elses_enrolment(client, as_role, factory, session):
    rep = as_role("rep")
    manager = factory.user("manager")
    seq, _ = _setup(factory, session, manager)
    theirs = _enrolment(session, factory, seq, manager, owner_id=manager.id)
    assert client.post(f"/enrollments/{theirs.id}/exit", data={"reason": "manual"}).status_code == 403
    assert client.post(f"/enrollments/{theirs.id}/pause").status_code == 403
    session.expire_all()
    assert theirs.status == EnrollmentStatus.ACTIVE
    page = client.get(f"/prospects/{theirs.prospect_id}").get_data(as_text=True)
    assert f'action="/enrollments/{theirs.id}/exit"' not in page
    mine = _enrolment(session, factory, seq, manager, owner_id=rep.id)  # the rep owns the prospect
    assert client.post(f"/enrollments/{mine.id}/exit", data={"reason": "wrong_person"}).status_code == 302
    session.expire_all()
    assert mine.status == EnrollmentStatus.EXITED and mine.exit_reason == "wrong_person"


def test_a_start_or_pause_date_past_2100_is_refused_not_a_500(client, as_role, factory, session):
    manager = as_role("manager")
    seq, mailbox = _setup(factory, session, manager)
    prospect = factory.prospect()
    session.commit()
    res = client.post("/enroll", data={"ids": [prospect.id], "sequence_id": seq.id, "mailbox_id": mailbox.id,
                                       "start_at": "9999-12-31T23:59"})
    assert res.status_code == 422 and "must be between 1970-01-01 and 2100-12-31" in res.get_data(as_text=True)
    assert _enrolled_ids(session, seq) == []
    e = _enrolment(session, factory, seq, manager, timezone="Pacific/Kiritimati")
    res = client.post(f"/enrollments/{e.id}/pause", data={"until": "9999-12-31"}, follow_redirects=True)
    assert res.status_code == 200 and "Pause until: use a date like" in res.get_data(as_text=True)
    session.expire_all()
    assert e.status == EnrollmentStatus.ACTIVE
