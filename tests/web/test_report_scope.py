"""Reps see their own reports (their activity, the funnels of their prospects' sequences); managers see everyone's;
every report takes a date range and an owner, and the role rule is applied on the server."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sequencer.models import Event
from sequencer.platform import clock

NOW = datetime(2025, 3, 12, 10, 0, tzinfo=UTC)


def _seed(factory, session):
    """Two reps, one sequence each plus a shared one; sends on 1 March and 10 March."""
    ruta, jonas = factory.user("rep", name="Ruta Rep"), factory.user("rep", name="Jonas Rep")
    mine, theirs = factory.sequence(steps=1, name="Ruta seq"), factory.sequence(steps=1, name="Jonas seq")
    for owner, seq, day in ((ruta, mine, 1), (ruta, mine, 10), (jonas, theirs, 10)):
        prospect = factory.prospect(owner_id=owner.id)
        enrollment = factory.enrollment(prospect=prospect, sequence=seq, created_at=datetime(2025, 3, day, 9, tzinfo=UTC))
        session.add(Event(kind="sent", prospect_id=prospect.id, sequence_id=seq.id, step_id=seq.steps[0].id,
                          enrollment_id=enrollment.id, occurred_at=datetime(2025, 3, day, 9, tzinfo=UTC)))
    session.commit()
    return ruta, jonas


def _funnel_row(html: str, name: str) -> list[str]:
    row = html.split(name, 1)[1].split("</tr>", 1)[0]
    return [c.split("<", 1)[0] for c in row.split('<td class="num">')[1:]]


def test_rep_sees_only_their_own_funnels(client, factory, session, as_role):
    clock.freeze(NOW)
    ruta, _ = _seed(factory, session)
    from tests.conftest import login

    login(client, ruta.email)
    html = client.get("/reports").get_data(as_text=True)
    assert "Ruta seq" in html and "Jonas seq" not in html
    assert _funnel_row(html, "Ruta seq")[:2] == ["2", "2"]  # enrolled, sent
    assert "Your own numbers" in html and "sequence_report" not in html
    assert client.get(f"/reports?owner={ruta.id + 1}").status_code == 403


def test_manager_filters_funnels_by_owner_and_dates(client, factory, session, as_role):
    clock.freeze(NOW)
    as_role("manager", timezone="UTC")
    ruta, jonas = _seed(factory, session)
    everyone = client.get("/reports").get_data(as_text=True)
    assert "Ruta seq" in everyone and "Jonas seq" in everyone
    only_jonas = client.get(f"/reports?owner={jonas.id}").get_data(as_text=True)
    assert "Jonas seq" in only_jonas and "Ruta seq" not in only_jonas
    late = client.get("/reports?from=2025-03-05&to=2025-03-12").get_data(as_text=True)
    assert _funnel_row(late, "Ruta seq")[:2] == ["1", "1"]  # only the 10 March enrolment and send
    early = client.get("/reports?to=2025-03-01").get_data(as_text=True)
    assert "Jonas seq" not in early and _funnel_row(early, "Ruta seq")[:2] == ["1", "1"]
    assert client.get("/reports?from=2025-03-12&to=2025-03-01").status_code == 422
    assert client.get("/reports?from=tomorrow").status_code == 422
    assert client.get("/reports?owner=99999999999").status_code == 422


def test_rep_activity_is_their_own_and_managers_pick_a_rep_and_range(client, factory, session, as_role):
    clock.freeze(NOW)
    ruta, jonas = _seed(factory, session)
    factory.task("call", owner_id=ruta.id, due_at=NOW - timedelta(days=2))
    factory.task("call", owner_id=jonas.id, due_at=NOW - timedelta(days=2))
    session.commit()
    from tests.conftest import login

    login(client, ruta.email)
    html = client.get("/reports/reps").get_data(as_text=True)
    assert "My activity" in html and "Ruta Rep" in html and "Jonas Rep" not in html
    csv_text = client.get("/reports/reps.csv").get_data(as_text=True)
    assert "Ruta Rep" in csv_text and "Jonas Rep" not in csv_text
    client.post("/logout")
    as_role("manager")
    table = client.get(f"/reports/reps?owner={jonas.id}").get_data(as_text=True).split('class="rep-table"', 1)[1]
    assert "Jonas Rep" in table and "Ruta Rep" not in table
    two_weeks = client.get("/reports/reps?from=2025-03-01&to=2025-03-12").get_data(as_text=True)
    assert "3 weeks" in two_weeks  # the weeks of 24 Feb, 3 Mar and 10 Mar


def test_pipeline_report_narrows_to_an_owner_and_a_date_range(client, factory, session, as_role):
    clock.freeze(NOW)
    as_role("manager", timezone="UTC")
    ruta, jonas = factory.user("rep", name="Ruta Rep"), factory.user("rep", name="Jonas Rep")
    factory.opportunity("closed_won", owner=ruta, amount=1000, closed_at=datetime(2025, 3, 1, tzinfo=UTC),
                        created_at=datetime(2025, 2, 1, tzinfo=UTC))
    factory.opportunity("closed_lost", owner=jonas, amount=500, lost_reason="Budget cut",
                        closed_at=datetime(2025, 1, 5, tzinfo=UTC), created_at=datetime(2025, 1, 1, tzinfo=UTC))
    session.commit()
    assert "Budget cut" in client.get("/reports/pipeline").get_data(as_text=True)
    mine = client.get(f"/reports/pipeline?owner={ruta.id}").get_data(as_text=True)
    assert "1 deals" in mine and "Budget cut" not in mine
    recent = client.get("/reports/pipeline?from=2025-02-01").get_data(as_text=True)
    assert "Budget cut" not in recent and "in the chosen range" in recent
    csv_text = client.get("/reports/pipeline/lost_reasons.csv?from=2025-02-01").get_data(as_text=True)
    assert "Budget cut" not in csv_text
