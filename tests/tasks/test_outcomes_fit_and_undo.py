"""Issue 23 basics: a task offers (and accepts) only the outcomes that fit its type, and a completed or skipped
task can be undone for a few seconds: it is open again and the sequence is back where it was."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from sequencer.models import StepRun, StepRunState, Task, TaskStatus
from sequencer.tasks.outcomes import UNDO_SECONDS, outcomes_for
from tests.tasks.scenario import NOW, todo


def test_a_reply_follow_up_does_not_offer_voicemail_and_refuses_it(world, session, factory):
    assert "voicemail" not in outcomes_for("reply_followup") and "voicemail" in outcomes_for("call")
    assert "no_answer" not in outcomes_for("linkedin_connect")
    task = factory.task("reply_followup", owner_id=world.rep.id, prospect_id=world.prospect.id, due_at=NOW)
    session.commit()
    r = world.as_rep.post(f"/api/v1/tasks/{task.id}/complete", {"outcome": "voicemail"})
    assert r.status_code == 422 and r.json["error"]["details"][0]["field"] == "outcome"
    assert "reply follow-up" in r.json["error"]["details"][0]["message"]
    assert world.as_rep.post(f"/api/v1/tasks/{task.id}/complete", {"outcome": "done"}).status_code == 200


def _next_runs(session, world):
    return session.scalars(select(StepRun).where(StepRun.enrollment_id == world.enrollment.id,
                                                 StepRun.position == 3)).all()


def test_undo_right_after_completing_reopens_the_task_and_takes_the_next_step_back(world, session):
    assert world.as_rep.post(f"/api/v1/tasks/{world.task.id}/complete", {"outcome": "no_answer"}).status_code == 200
    session.expire_all()
    assert len(_next_runs(session, world)) == 1
    r = world.as_rep.post(f"/api/v1/tasks/{world.task.id}/undo")
    assert r.status_code == 200, r.json
    session.expire_all()
    task = session.get(Task, world.task.id)
    assert (task.status, task.outcome, task.completed_at) == (TaskStatus.OPEN, None, None)
    assert session.get(StepRun, world.run.id).state == StepRunState.TASK_OPEN
    assert _next_runs(session, world) == []


def test_undo_of_a_skip_and_after_the_window(world, session, factory):
    from sequencer.platform import clock
    assert world.as_rep.post(f"/api/v1/tasks/{world.task.id}/skip", {"reason": "Duplicate task"}).status_code == 200
    assert world.as_rep.post(f"/api/v1/tasks/{world.task.id}/undo").status_code == 200
    other = todo(session, world.rep, NOW)
    assert world.as_rep.post(f"/api/v1/tasks/{other.id}/complete", {"outcome": "done"}).status_code == 200
    clock.freeze(NOW + timedelta(seconds=UNDO_SECONDS + 1))
    late = world.as_rep.post(f"/api/v1/tasks/{other.id}/undo")
    assert late.status_code == 409 and "undo" in late.json["error"]["message"]
