"""Dates past any sane window: refused at the edge (API and pages), and rows stored before that still list."""
from __future__ import annotations

from datetime import UTC, datetime

from sequencer.platform import clock
from tests.conftest import login

FAR = datetime(9999, 12, 31, 23, 0, tzinfo=UTC)


def test_snooze_and_as_of_outside_the_window_are_a_422(api, factory, session):
    caller = api("rep")
    task = factory.task("call", owner_id=caller.user.id)
    session.commit()
    for until in ("9999-12-31T23:59:59Z", "0001-01-01T00:00:00Z", "2101-01-01T00:00:00Z"):
        response = caller.post(f"/api/v1/tasks/{task.id}/snooze", json={"until": until})
        assert response.status_code == 422, until
        assert response.get_json()["error"]["details"][0]["field"] == "until"
    for as_of in ("0001-01-01T00:00:00Z", "9999-12-31T23:59:59Z"):
        response = caller.get("/api/v1/tasks", query_string={"as_of": as_of, "bucket": "upcoming"})
        assert response.status_code == 422
        assert response.get_json()["error"]["details"][0]["field"] == "as_of"
    for starts_on in ("9999-12-31", "0001-01-01"):
        response = caller.post("/api/v1/time-off", json={"starts_on": starts_on, "ends_on": "9999-12-31"})
        assert response.status_code in (404, 422), starts_on


def test_a_task_stored_at_9999_still_lists_in_every_bucket_and_page(api, client, factory, session):
    caller = api("rep")
    factory.task("call", owner_id=caller.user.id, due_at=FAR, snoozed_until=FAR)
    factory.task("call", owner_id=caller.user.id, due_at=clock.now())
    session.commit()
    for bucket in ("today", "overdue", "upcoming", "all"):
        assert caller.get(f"/api/v1/tasks?bucket={bucket}").status_code == 200, bucket
    login(client, caller.user.email)
    for url in ("/tasks", "/tasks?bucket=upcoming", "/tasks?bucket=all"):
        assert client.get(url).status_code == 200, url


def test_the_queue_page_refuses_a_snooze_or_time_off_past_2100(client, factory, session):
    rep = factory.user("rep")
    task = factory.task("call", owner_id=rep.id)
    session.commit()
    login(client, rep.email)
    from tests.conftest import csrf_token_from

    token = csrf_token_from(client.get("/tasks").get_data(as_text=True))
    client.post(f"/tasks/{task.id}/snooze", data={"choice": "custom", "until": "9999-12-31T23:59",
                                                 "csrf_token": token})
    session.refresh(task)
    assert task.snoozed_until is None
    assert client.get("/tasks?bucket=upcoming").status_code == 200


def test_the_task_panel_shows_a_task_due_in_9999(client, factory, session):
    rep = factory.user("rep", timezone="Pacific/Kiritimati")  # +14:00: 9999-12-31 23:00 UTC is year 10000 here
    task = factory.task("call", owner_id=rep.id, due_at=FAR, snoozed_until=FAR, prospect_id=factory.prospect().id)
    session.commit()
    login(client, rep.email)
    assert client.get(f"/tasks/{task.id}/panel").status_code == 200
    assert client.get("/tasks?bucket=upcoming").status_code == 200


def test_the_prospect_page_and_enrolment_api_show_a_pause_stored_until_9999(api, client, factory, session):
    from sequencer.models import EnrollmentStatus

    caller = api("manager")
    prospect = factory.prospect(timezone="Pacific/Kiritimati")
    enrollment = factory.enrollment(prospect=prospect, status=EnrollmentStatus.PAUSED, paused_until=FAR)
    factory.step_run(enrollment, due_at=FAR)
    session.commit()
    assert caller.get(f"/api/v1/enrollments/{enrollment.id}").status_code == 200
    login(client, caller.user.email)
    assert client.get(f"/prospects/{prospect.id}").status_code == 200
