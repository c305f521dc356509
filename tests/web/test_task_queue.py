"""The queue page worked over htmx: every action answers with the fresh queue, the next task selected."""
from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from flask import g
from sqlalchemy import event, select

from sequencer.extensions import db
from sequencer.models import EnrollmentStatus, StepRun, StepRunState, Task, TaskStatus, TimeOff
from sequencer.platform import clock
from tests.conftest import login
from tests.tasks.scenario import NOW, build, todo

HX = {"HX-Request": "true"}


@pytest.fixture
def world(task_scenario, client):
    """The task scenario, signed in as its rep."""
    assert login(client, task_scenario.rep.email).status_code == 302
    return task_scenario


def test_queue_shows_counts_shortcuts_and_the_selected_tasks_details(world, client, session):
    todo(session, world.rep, datetime(2026, 3, 1, 12, 0, tzinfo=UTC), title="Old to-do")
    html = client.get("/tasks").get_data(as_text=True)
    assert 'data-bucket="today"' in html and '<span class="tab-count">1</span>' in html  # today 1, overdue 1
    assert "<kbd>j</kbd>" in html and "<kbd>c</kbd> complete" in html and "/static/tasks.js" in html
    rows = html.split('class="rows"', 1)[1].split('id="panel"', 1)[0]
    assert "CFO · Baltic Freight" in rows and "Q1 CFO outbound · step 2" in rows and "Old to-do" not in rows
    panel = html.split('id="panel"', 1)[1]
    assert "Ona Kazlauskė" in panel and "CFO · Baltic Freight" in panel and 'href="tel:+37060012345"' in panel
    assert "16:00" in panel and "Europe/Vilnius" in panel  # the prospect's local time now
    assert 'href="https://www.linkedin.com/in/ona"' in panel
    assert "Ask about Q2 freight budget" in panel and "Q1 CFO outbound · step 2" in panel
    assert "<script>" not in html  # no inline script blocks


def test_sidebar_badge_counts_overdue_and_today_whatever_the_queue_shows(world, client, session):
    todo(session, world.rep, datetime(2026, 3, 1, 12, 0, tzinfo=UTC), title="Old to-do")
    todo(session, world.rep, datetime(2026, 3, 9, 12, 0, tzinfo=UTC), title="Later to-do")
    for url in ("/tasks", "/tasks?bucket=upcoming", "/tasks?type=call", "/tasks?type=todo&bucket=overdue",
                "/sequences"):
        html = client.get(url).get_data(as_text=True)
        assert re.search(r'id="nav-tasks-badge" class="badge" [^>]*>2</span>', html), url


def test_complete_over_htmx_returns_the_queue_without_the_task_and_moves_the_sequence(world, client, session):
    nxt = todo(session, world.rep, NOW, title="Next to-do")
    r = client.post(f"/tasks/{world.task.id}/complete", headers=HX,
                    data={"outcome": "connected", "notes": "Talked budget", "bucket": "today", "index": "0"})
    assert r.status_code == 200
    html = r.get_data(as_text=True)
    assert html.lstrip().startswith('<div id="queue"')
    assert f'data-id="{world.task.id}"' not in html and f'data-id="{nxt.id}"' in html
    assert 'hx-swap-oob="true"' in html and ": connected" in html
    session.expire_all()
    assert session.get(Task, world.task.id).outcome == "connected"
    panel = client.get(f"/tasks/{nxt.id}/panel").get_data(as_text=True)
    assert "Task completed: connected" not in panel  # a to-do without a prospect has no timeline
    ona = client.get("/tasks?bucket=today").get_data(as_text=True)
    assert "Talked budget" not in ona
    assert session.get(StepRun, world.run.id).state == StepRunState.DONE
    assert session.scalar(select(StepRun.state).where(StepRun.position == 3)) == StepRunState.SCHEDULED


def test_meeting_booked_from_the_ui_exits_the_enrolment(world, client, session):
    client.post(f"/tasks/{world.task.id}/complete", headers=HX, data={"outcome": "meeting_booked"})
    session.expire_all()
    assert world.enrollment.status == EnrollmentStatus.EXITED and world.enrollment.exit_reason == "meeting_booked"



def test_the_panel_loads_prospect_company_and_persona_with_the_task(world, client, session):
    """One query for what the card shows, not a lazy load per relation on every j/k."""
    task_id = world.task.id
    session.commit()
    session.expunge_all()  # as in a fresh request: nothing already in the session
    statements: list[str] = []

    def record(conn, cursor, statement, *args):
        statements.append(statement.lstrip())

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        panel = client.get(f"/tasks/{task_id}/panel").get_data(as_text=True)
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    assert "Ona Kazlauskė" in panel and "CFO · Baltic Freight" in panel
    assert not [s for s in statements if s.startswith(("SELECT prospects", "SELECT companies", "SELECT personas"))]

def test_refused_skip_answers_with_the_panel_and_the_reason(world, client, session):
    r = client.post(f"/tasks/{world.task.id}/skip", headers=HX, data={"reason": "  "})
    assert r.status_code == 200 and r.headers["HX-Retarget"] == "#panel"
    assert "say why the task is skipped" in r.get_data(as_text=True)
    assert session.get(Task, world.task.id).status == TaskStatus.OPEN


def test_snooze_presets_are_in_the_reps_zone(world, client, session):
    r = client.post(f"/tasks/{world.task.id}/snooze", headers=HX, data={"choice": "tomorrow"})
    assert r.status_code == 200 and "Snoozed until Thu 05 Mar, 09:00" in r.get_data(as_text=True)
    session.expire_all()
    assert session.get(Task, world.task.id).due_at == datetime(2026, 3, 5, 14, 0, tzinfo=UTC)  # 09:00 EST


def test_note_and_bulk_complete(world, client, session):
    r = client.post(f"/tasks/{world.task.id}/note", headers=HX, data={"note": "Ask for Jonas"})
    assert "Note saved" in r.get_data(as_text=True) and "Ask for Jonas" in r.get_data(as_text=True)
    other = todo(session, world.rep, NOW)
    r = client.post("/tasks/bulk", headers=HX, data={"ids": [world.task.id, other.id], "action": "complete"})
    assert "Completed 2 task(s)" in r.get_data(as_text=True)
    session.expire_all()
    assert {session.get(Task, i).status for i in (world.task.id, other.id)} == {TaskStatus.DONE}


def test_without_htmx_actions_redirect_back(world, client):
    r = client.post(f"/tasks/{world.task.id}/complete", data={"outcome": "done", "bucket": "overdue"})
    assert r.status_code == 302 and r.headers["Location"].endswith("/tasks?bucket=overdue")


def test_reps_cannot_touch_or_open_others_queues(world, client, session, factory):
    stranger = factory.user("rep")
    theirs = todo(session, stranger, NOW)
    assert client.post(f"/tasks/{theirs.id}/complete", data={"outcome": "done"}).status_code == 403
    assert client.get(f"/tasks/{theirs.id}/panel").status_code == 403
    assert client.get(f"/tasks?owner={stranger.id}").status_code == 403
    assert client.get("/tasks/team").status_code == 403
    assert client.post("/tasks/reassign", data={"ids": [theirs.id], "owner_id": world.rep.id}).status_code == 403


def test_manager_team_view_opens_and_reassigns_a_reps_tasks(world, app, session, factory):
    todo(session, world.rep, datetime(2026, 3, 1, tzinfo=UTC))
    teammate = factory.user("rep", name="Tomas Teammate")
    manager = factory.user("manager")
    session.commit()
    g.pop("_login_user", None)  # requests share the test's app context, where Flask-Login caches the rep
    client = app.test_client()
    login(client, manager.email)
    r = client.get("/tasks/team")
    html = r.get_data(as_text=True)
    assert r.status_code == 200, html[html.find("<title>"):html.find("</title>")]
    assert "Rita Rep" in html and "Tomas Teammate" in html and f"owner={world.rep.id}" in html
    queue = client.get(f"/tasks?owner={world.rep.id}").get_data(as_text=True)
    assert "Rita Rep's tasks" in queue and f'data-id="{world.task.id}"' in queue
    r = client.post("/tasks/reassign", data={"ids": [world.task.id], "owner_id": teammate.id,
                                             "owner": world.rep.id})
    assert r.status_code == 302
    session.expire_all()
    assert session.get(Task, world.task.id).owner_id == teammate.id


def test_time_off_page_saves_the_period_and_the_choice(world, client, session, factory):
    teammate = factory.user("rep", name="Tomas Teammate")
    session.commit()
    assert "Tomas Teammate" in client.get("/tasks/time-off").get_data(as_text=True)
    r = client.post("/tasks/time-off", data={"starts_on": "2026-03-05", "ends_on": "2026-03-06",
                                             "time_off_tasks": "reassign", "time_off_delegate_id": teammate.id,
                                             "time_off_emails": "delegate"})
    assert r.status_code == 302
    session.expire_all()
    assert session.scalars(select(TimeOff)).one().ends_on.isoformat() == "2026-03-06"
    assert world.rep.time_off_tasks == "reassign" and world.rep.time_off_delegate_id == teammate.id
    assert world.rep.time_off_emails == "delegate"
    bad = client.post("/tasks/time-off", data={"starts_on": "2026-03-09", "ends_on": "2026-03-05"})
    assert bad.status_code == 422 and "must be on or after the first day" in bad.get_data(as_text=True)


def test_manual_email_editor_opens_the_rendered_step(session, factory, client):
    clock.freeze(NOW)
    from sequencer.models.sequences import StepType
    s = build(factory, second=StepType.MANUAL_EMAIL)
    login(client, s.rep.email)
    html = client.get(f"/tasks/{s.task.id}/email").get_data(as_text=True)
    assert 'value="Following up, Ona"' in html and "Did the freight numbers land?" in html
    assert "variant A" in html
    facts = html.split('class="card panel"', 1)[1]  # the prospect beside the editor: who, local time, phone
    assert "Ona Kazlauskė" in facts and 'href="tel:+37060012345"' in facts and "Local time" in facts
    assert "linkedin.com/in/ona" not in facts
    queue = client.get("/tasks").get_data(as_text=True)
    assert f'data-editor="/tasks/{s.task.id}/email"' in queue


def test_manager_reassigns_from_a_reps_queue_over_htmx(world, app, session, factory):
    teammate = factory.user("rep", name="Tomas Teammate")
    manager = factory.user("manager")
    session.commit()
    g.pop("_login_user", None)
    client = app.test_client()
    login(client, manager.email)
    queue = client.get(f"/tasks?owner={world.rep.id}").get_data(as_text=True)
    assert 'aria-label="Reassign to"' in queue and "Tomas Teammate" in queue
    r = client.post("/tasks/reassign", headers=HX, data={"ids": [world.task.id], "owner_id": teammate.id,
                                                        "owner": world.rep.id, "bucket": "today"})
    html = r.get_data(as_text=True)
    assert "Reassigned 1 task(s) to Tomas Teammate" in html and f'data-id="{world.task.id}"' not in html


def test_outcomes_show_on_the_prospect_timeline(world, client):
    client.post(f"/tasks/{world.task.id}/complete", headers=HX, data={"outcome": "voicemail", "notes": "Left a message"})
    html = client.get(f"/prospects/{world.prospect.id}").get_data(as_text=True)
    assert "Task completed" in html and "Outcome: Voicemail" in html and "Left a message" in html


def test_a_reply_follow_up_offers_only_fitting_outcomes_and_a_closed_task_can_be_undone(world, client, session,
                                                                                        factory):
    """Issue 23 basics: no "Left voicemail" on a reply follow-up; Undo in the toast reopens the task."""
    reply = factory.task("reply_followup", owner_id=world.rep.id, prospect_id=world.prospect.id,
                         due_at=NOW, priority=0, title="Reply to Ona")
    session.commit()
    panel = client.get(f"/tasks?task={reply.id}").get_data(as_text=True).split('id="panel"', 1)[1]
    assert "Reply to Ona" in panel and "Left voicemail" not in panel and "No answer" not in panel
    assert "Meeting booked" in panel
    call_panel = client.get(f"/tasks?task={world.task.id}").get_data(as_text=True).split('id="panel"', 1)[1]
    assert "Left voicemail" in call_panel
    html = client.post(f"/tasks/{world.task.id}/complete", data={"outcome": "no_answer"}, headers=HX).get_data(as_text=True)
    assert 'id="undo-task"' in html and f"/tasks/{world.task.id}/undo" in html
    again = client.post(f"/tasks/{world.task.id}/undo", headers=HX).get_data(as_text=True)
    assert "is open again" in again
    session.expire_all()
    assert session.get(Task, world.task.id).status == TaskStatus.OPEN
    assert session.get(StepRun, world.run.id).state == StepRunState.TASK_OPEN
