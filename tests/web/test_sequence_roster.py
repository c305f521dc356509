"""The sequence page lists who is enrolled (status, step reached, next due), filters and sorts them, and
"Add prospects" leads to the prospect list and on to the enrol form with this sequence chosen."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sequencer.models import EnrollmentStatus, StepRunState
from sequencer.platform import clock

NOW = datetime(2025, 3, 12, 10, 0, tzinfo=UTC)


def _seed(factory, session):
    seq = factory.sequence(steps=3, name="Roster seq", status="active")
    ona = factory.enrollment(prospect=factory.prospect(first_name="Ona", last_name="Alpha"), sequence=seq)
    factory.step_run(ona, seq.steps[0], state=StepRunState.SENT, sent_at=NOW - timedelta(days=3))
    factory.step_run(ona, seq.steps[1], state=StepRunState.TASK_OPEN, due_at=NOW + timedelta(days=1))
    jonas = factory.enrollment(prospect=factory.prospect(first_name="Jonas", last_name="Beta"), sequence=seq,
                               status=EnrollmentStatus.PAUSED, paused_until=NOW + timedelta(days=9))
    factory.step_run(jonas, seq.steps[0], due_at=NOW + timedelta(days=10))
    gone = factory.enrollment(prospect=factory.prospect(first_name="Rimas", last_name="Gamma"), sequence=seq,
                              status=EnrollmentStatus.EXITED, exit_reason="replied")
    factory.step_run(gone, seq.steps[0], state=StepRunState.SENT, sent_at=NOW - timedelta(days=5))
    factory.enrollment(prospect=factory.prospect(first_name="Other", last_name="Sequence"))
    session.commit()
    return seq


def test_sequence_page_lists_who_is_enrolled_with_status_step_and_next_due(client, as_role, factory, session):
    clock.freeze(NOW)
    as_role("rep", timezone="UTC")
    seq = _seed(factory, session)
    html = client.get(f"/sequences/{seq.id}").get_data(as_text=True)
    assert 'id="enrolled"' in html and 'id="add-prospects"' in html
    assert "Ona Alpha" in html and "Jonas Beta" in html and "Rimas Gamma" in html and "Other Sequence" not in html
    assert "2 of 3" in html  # Ona has reached step 2
    assert "Thu 13 Mar, 10:00" in html  # Ona's next step, due tomorrow
    assert "Replied" in html  # Rimas's exit reason


def test_roster_filters_by_status_and_search_and_sorts(client, as_role, factory, session):
    clock.freeze(NOW)
    as_role("manager")
    seq = _seed(factory, session)
    paused = client.get(f"/sequences/{seq.id}?status=paused").get_data(as_text=True)
    assert "Jonas Beta" in paused and "Ona Alpha" not in paused
    found = client.get(f"/sequences/{seq.id}?q=gamma").get_data(as_text=True)
    assert "Rimas Gamma" in found and "Ona Alpha" not in found
    by_next = client.get(f"/sequences/{seq.id}?sort=next").get_data(as_text=True)
    assert by_next.index("Ona Alpha") < by_next.index("Jonas Beta")
    by_name_desc = client.get(f"/sequences/{seq.id}?sort=-name").get_data(as_text=True)
    assert by_name_desc.index("Rimas Gamma") < by_name_desc.index("Ona Alpha")
    assert client.get(f"/sequences/{seq.id}?status=sleeping").status_code == 422
    assert client.get(f"/sequences/{seq.id}?page=9").status_code == 404


def test_add_prospects_carries_the_sequence_to_the_enrol_form(client, as_role, factory, session):
    as_role("manager")
    seq = factory.sequence(steps=1, name="Carry me", status="active")
    factory.sequence(steps=1, name="Another active", status="active")
    prospect = factory.prospect(first_name="Picked")
    session.commit()
    listing = client.get(f"/prospects?into={seq.id}").get_data(as_text=True)
    assert 'id="into-notice"' in listing and "Carry me" in listing
    assert f'name="sequence_id" value="{seq.id}"' in listing
    form = client.get(f"/enroll?ids={prospect.id}&sequence_id={seq.id}").get_data(as_text=True)
    assert f'<option value="{seq.id}" selected>' in form


def test_pipeline_list_sorts_by_a_whitelisted_column_and_pages(client, as_role, factory, session):
    as_role("manager")
    factory.opportunity(name="Deal Bravo", amount=500)
    factory.opportunity(name="Deal Alpha", amount=None)
    factory.opportunity(name="Deal Charlie", amount=900)
    session.commit()

    def order(query: str) -> list[str]:
        html = client.get(f"/pipeline/list?{query}").get_data(as_text=True).split("<tbody>", 1)[1]
        return sorted(("Deal Alpha", "Deal Bravo", "Deal Charlie"), key=html.index)

    assert order("sort=name") == ["Deal Alpha", "Deal Bravo", "Deal Charlie"]
    assert order("sort=-name") == ["Deal Charlie", "Deal Bravo", "Deal Alpha"]
    assert order("sort=-amount") == ["Deal Charlie", "Deal Bravo", "Deal Alpha"]  # no amount: last either way
    assert order("sort=amount") == ["Deal Bravo", "Deal Charlie", "Deal Alpha"]
    assert order("sort=__class__") == order("")  # not on the whitelist: the default order
    assert client.get("/pipeline/list?page=2").status_code == 404
