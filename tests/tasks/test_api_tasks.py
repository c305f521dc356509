"""The Tasks API: buckets in the rep's time zone, every outcome, skip and snooze driving the enrolment."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from sequencer.models import EnrollmentStatus, Event, StepRun, StepRunState, Task, TaskStatus
from sequencer.models.tasks import TaskType
from tests.tasks.scenario import NOW, As, todo

UTC = UTC


def _events(session, kind):
    return session.scalars(select(Event).where(Event.kind == kind)).all()


def test_buckets_follow_the_reps_new_york_day_not_utc_or_the_prospects(world, session):
    # 2026-03-10 03:30Z is still Monday 9 March, 23:30 in New York (and already Tuesday in Vilnius)
    as_of = "2026-03-10T03:30:00Z"
    world.task.due_at = datetime(2026, 3, 10, 2, 0, tzinfo=UTC)        # Mon 22:00 NY: today
    later = todo(session, world.rep, datetime(2026, 3, 10, 5, 0, tzinfo=UTC))   # Tue 01:00 NY: upcoming
    late = todo(session, world.rep, datetime(2026, 3, 9, 3, 59, tzinfo=UTC))    # Sun 23:59 NY: overdue
    urgent = todo(session, world.rep, datetime(2026, 3, 9, 23, 0, tzinfo=UTC), priority=0)  # Mon 19:00 NY
    session.commit()

    def ids(bucket):
        r = world.as_rep.get(f"/api/v1/tasks?bucket={bucket}&as_of={as_of}")
        assert r.status_code == 200, r.json
        return [t["id"] for t in r.json]

    assert ids("today") == [urgent.id, world.task.id]  # priority first, then due moment
    assert ids("upcoming") == [later.id]
    assert ids("overdue") == [late.id]
    assert sorted(ids("all")) == sorted([urgent.id, world.task.id, later.id, late.id])
    body = world.as_rep.get(f"/api/v1/tasks?bucket=today&as_of={as_of}").json[1]
    assert body["prospect"]["timezone"] == "Europe/Vilnius" and body["prospect"]["phone"] == "+370 600 12345"
    assert body["step_position"] == 2 and body["enrollment_id"] == world.enrollment.id


def test_day_boundary_across_the_dst_change_in_new_york(world, session):
    # 8 March 2026 is the US spring-forward day: it lasts 23 hours (05:00Z to 04:00Z next day)
    world.task.due_at = datetime(2026, 3, 9, 3, 30, tzinfo=UTC)  # Sun 23:30 EDT
    session.commit()
    today = world.as_rep.get("/api/v1/tasks?bucket=today&as_of=2026-03-08T12:00:00Z").json
    assert [t["id"] for t in today] == [world.task.id]
    assert world.as_rep.get("/api/v1/tasks?bucket=today&as_of=2026-03-09T04:00:00Z").json == []


def test_filters_by_type_and_sequence(world, session):
    todo(session, world.rep, NOW)
    calls = world.as_rep.get("/api/v1/tasks?type=call").json
    assert [t["id"] for t in calls] == [world.task.id]
    in_seq = world.as_rep.get(f"/api/v1/tasks?sequence_id={world.sequence.id}").json
    assert [t["id"] for t in in_seq] == [world.task.id]
    assert world.as_rep.get("/api/v1/tasks?bucket=someday").status_code == 422


def test_connected_marks_the_step_done_and_schedules_the_next_on_business_days(world, session):
    r = world.as_rep.post(f"/api/v1/tasks/{world.task.id}/complete", {"outcome": "connected", "notes": "Budget in Q2"})
    assert r.status_code == 200, r.json
    assert r.json["status"] == "done" and r.json["outcome"] == "connected" and r.json["notes"] == "Budget in Q2"
    session.expire_all()
    run = session.get(StepRun, world.run.id)
    assert run.state == StepRunState.DONE and run.done_at == NOW
    nxt = session.scalars(select(StepRun).where(StepRun.enrollment_id == world.enrollment.id,
                                                StepRun.position == 3)).one()
    # two business days after Wednesday is Friday; 09:00 in Vilnius is 07:00Z
    assert nxt.state == StepRunState.SCHEDULED and nxt.due_at == datetime(2026, 3, 6, 7, 0, tzinfo=UTC)
    [event] = _events(session, "task_completed")
    assert event.payload["outcome"] == "connected" and event.task_id == world.task.id
    assert event.user_id == world.rep.id and event.step_run_id == world.run.id
    again = world.as_rep.post(f"/api/v1/tasks/{world.task.id}/complete", {"outcome": "done"})
    assert again.status_code == 409 and again.json["error"]["code"] == "conflict"


@pytest.mark.parametrize("outcome", ["done", "voicemail", "no_answer"])
def test_other_plain_outcomes_move_the_sequence_on(world, session, outcome):
    assert world.as_rep.post(f"/api/v1/tasks/{world.task.id}/complete", {"outcome": outcome}).status_code == 200
    session.expire_all()
    assert session.get(StepRun, world.run.id).state == StepRunState.DONE
    assert session.scalar(select(StepRun.state).where(StepRun.position == 3)) == StepRunState.SCHEDULED
    assert _events(session, "task_completed")[0].payload["outcome"] == outcome


def test_meeting_booked_exits_and_counts_for_the_last_email_and_its_variant(world, session):
    r = world.as_rep.post(f"/api/v1/tasks/{world.task.id}/complete", {"outcome": "meeting_booked"})
    assert r.status_code == 200, r.json
    session.expire_all()
    enrollment = world.enrollment
    assert enrollment.status == EnrollmentStatus.EXITED and enrollment.exit_reason == "meeting_booked"
    [meeting] = _events(session, "meeting_booked")
    assert meeting.step_run_id == world.email_run.id and meeting.step_id == world.email_run.step_id
    assert meeting.variant_id == world.email_run.variant_id  # variant B
    assert meeting.sequence_id == world.sequence.id and meeting.task_id == world.task.id
    assert session.get(Task, world.task.id).outcome == "meeting_booked"  # not overwritten by the exit
    assert session.scalar(select(StepRun).where(StepRun.position == 3)) is None


def test_not_interested_exits_with_that_reason(world, session):
    world.as_rep.post(f"/api/v1/tasks/{world.task.id}/complete", {"outcome": "not_interested"})
    session.expire_all()
    assert world.enrollment.status == EnrollmentStatus.EXITED
    assert world.enrollment.exit_reason == "not_interested"
    assert session.get(StepRun, world.run.id).state == StepRunState.DONE


def test_wrong_person_exits_and_can_ask_for_a_referral(world, session):
    r = world.as_rep.post(f"/api/v1/tasks/{world.task.id}/complete", {"outcome": "wrong_person", "referral": True})
    assert r.status_code == 200
    session.expire_all()
    assert world.enrollment.exit_reason == "wrong_person"
    referral = session.scalars(select(Task).where(Task.type == TaskType.TODO)).one()
    assert referral.owner_id == world.rep.id and "referral" in referral.title and referral.due_at == NOW


def test_unknown_outcome_is_refused_naming_the_field(world):
    r = world.as_rep.post(f"/api/v1/tasks/{world.task.id}/complete", {"outcome": "maybe"})
    assert r.status_code == 422 and r.json["error"]["details"][0]["field"] == "outcome"


def test_skip_needs_a_reason_and_moves_the_sequence_on(world, session):
    r = world.as_rep.post(f"/api/v1/tasks/{world.task.id}/skip", {"reason": ""})
    assert r.status_code == 422 and r.json["error"]["details"][0]["field"] == "reason"
    r = world.as_rep.post(f"/api/v1/tasks/{world.task.id}/skip", {"reason": "no phone number works"})
    assert r.status_code == 200 and r.json["status"] == "skipped"
    assert r.json["skip_reason"] == "no phone number works"
    session.expire_all()
    assert session.get(StepRun, world.run.id).state == StepRunState.SKIPPED
    assert session.scalar(select(StepRun.state).where(StepRun.position == 3)) == StepRunState.SCHEDULED
    assert _events(session, "task_skipped")[0].payload["reason"] == "no phone number works"


def test_snooze_moves_the_task_between_buckets(world, session):
    until = "2026-03-05T15:00:00Z"
    assert world.as_rep.post(f"/api/v1/tasks/{world.task.id}/snooze", {"until": "2026-03-01T00:00:00Z"}
                             ).status_code == 422
    r = world.as_rep.post(f"/api/v1/tasks/{world.task.id}/snooze", {"until": until})
    assert r.status_code == 200 and r.json["due_at"] == until and r.json["snoozed_until"] == until
    assert world.as_rep.get("/api/v1/tasks?bucket=today").json == []
    assert [t["id"] for t in world.as_rep.get("/api/v1/tasks?bucket=upcoming").json] == [world.task.id]
    assert session.get(StepRun, world.run.id).state == StepRunState.TASK_OPEN
    assert world.as_rep.post(f"/api/v1/tasks/{world.task.id}/snooze", {"until": "tomorrow"}).status_code == 422


def test_notes_append(world, session):
    world.as_rep.post(f"/api/v1/tasks/{world.task.id}/notes", {"note": "Gatekeeper: ask for Jonas"})
    r = world.as_rep.post(f"/api/v1/tasks/{world.task.id}/notes", {"note": "Call after 14:00"})
    assert r.json["notes"] == "Gatekeeper: ask for Jonas\nCall after 14:00"


def test_reps_work_only_their_own_tasks_and_managers_reassign(world, session, factory, client):
    other = As(client, factory, factory.user("rep"))
    assert other.post(f"/api/v1/tasks/{world.task.id}/complete", {"outcome": "done"}).status_code == 403
    assert other.get(f"/api/v1/tasks?owner={world.rep.id}").status_code == 403
    assert other.post("/api/v1/tasks/reassign", {"ids": [world.task.id], "owner_id": 1}).status_code == 403
    teammate = factory.user("rep", name="Tomas")
    manager = As(client, factory, factory.user("manager"))
    assert [t["id"] for t in manager.get(f"/api/v1/tasks?owner={world.rep.id}").json] == [world.task.id]
    r = manager.post("/api/v1/tasks/reassign", {"ids": [world.task.id], "owner_id": teammate.id})
    assert r.status_code == 200 and r.json == {"reassigned": 1}
    session.expire_all()
    assert session.get(Task, world.task.id).owner_id == teammate.id
    assert _events(session, "task_reassigned")[0].payload["to_owner"] == teammate.id


def test_bulk_complete_and_skip_report_what_was_refused(world, session):
    a, b = todo(session, world.rep, NOW), todo(session, world.rep, NOW)
    r = world.as_rep.post("/api/v1/tasks/bulk", {"ids": [world.task.id, a.id], "action": "complete"})
    assert r.status_code == 200 and r.json == {"done": [world.task.id, a.id], "refused": []}
    assert world.as_rep.post("/api/v1/tasks/bulk", {"ids": [b.id], "action": "skip"}).status_code == 422
    r = world.as_rep.post("/api/v1/tasks/bulk", {"ids": [a.id, b.id], "action": "skip", "reason": "duplicate"})
    assert r.json == {"done": [b.id], "refused": [{"id": a.id, "reason": "already done"}]}
    session.expire_all()
    assert session.get(StepRun, world.run.id).state == StepRunState.DONE
    assert session.get(Task, b.id).status == TaskStatus.SKIPPED


def test_team_counts_per_rep(world, session, factory, client):
    todo(session, world.rep, NOW - timedelta(days=3))  # overdue
    done = todo(session, world.rep, NOW)
    world.as_rep.post(f"/api/v1/tasks/{done.id}/complete", {"outcome": "done"})
    manager = As(client, factory, factory.user("manager"))
    rows = {r["user_id"]: r for r in manager.get("/api/v1/tasks/team").json}
    assert rows[world.rep.id] == {"user_id": world.rep.id, "name": "Rita Rep", "open": 2, "overdue": 1,
                                  "completed_today": 1}
    assert world.as_rep.get("/api/v1/tasks/team").status_code == 403


def test_the_referral_to_do_speaks_its_owners_language(world, session):
    from sequencer.models import Workspace

    session.add(Workspace(default_locale="lt"))  # the rep chose no language: the workspace's is theirs
    session.commit()
    r = world.as_rep.post(f"/api/v1/tasks/{world.task.id}/complete", {"outcome": "wrong_person", "referral": True})
    assert r.status_code == 200
    referral = session.scalars(select(Task).where(Task.type == TaskType.TODO)).one()
    assert referral.title.startswith("Paprašykite, kad ") and "rekomenduotų" in referral.title, referral.title
