"""Two people (or two tabs) complete the same task at once: through the API or the web, on PostgreSQL,
the task completes once, its enrolment moves once, and the slower request gets a clean refusal."""
from __future__ import annotations

import contextlib
import threading
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from sequencer.models import Event, StepRun, Task, TaskStatus
from sequencer.platform import clock
from sequencer.tasks import outcomes
from tests.conftest import login
from tests.tasks.scenario import build

NOW = datetime(2026, 3, 4, 14, 0, tzinfo=UTC)


def _hold_both_at_the_check(monkeypatch) -> None:
    """Each request, once it has seen the task open, waits (up to 3 s) for the other to see it too: without
    the row lock both get through; with it the second is still waiting for the lock and the first goes on."""
    barrier = threading.Barrier(2)
    real = outcomes._require_open

    def check_then_wait(task):
        real(task)
        with contextlib.suppress(threading.BrokenBarrierError):
            barrier.wait(timeout=3)

    monkeypatch.setattr(outcomes, "_require_open", check_then_wait)


def _race(app, send) -> list:
    answers: list = []
    errors: list = []

    def one(n: int) -> None:
        try:
            answers.append(send(app.test_client(), n))
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=one, args=(n,)) for n in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert not errors, errors
    return answers


def _moved_once(session, world) -> None:
    session.expire_all()
    assert session.get(Task, world.task.id).status == TaskStatus.DONE
    completed = session.scalar(select(func.count()).select_from(Event).where(
        Event.kind == "task_completed", Event.task_id == world.task.id))
    assert completed == 1
    next_runs = session.scalar(select(func.count()).select_from(StepRun).where(
        StepRun.enrollment_id == world.enrollment.id, StepRun.position == 3))
    assert next_runs == 1


@pytest.mark.postgres
def test_two_api_completes_close_the_task_once(app, session, factory, monkeypatch):
    clock.freeze(NOW)
    world = build(factory)
    token = factory.token(world.rep)
    session.commit()
    _hold_both_at_the_check(monkeypatch)

    def send(client, n):
        return client.post(f"/api/v1/tasks/{world.task.id}/complete", json={"outcome": "connected"},
                           headers={"Authorization": f"Bearer {token}"})

    answers = _race(app, send)
    assert sorted(r.status_code for r in answers) == [200, 409]
    refused = next(r for r in answers if r.status_code == 409)
    assert refused.json["error"]["code"] == "conflict" and "already done" in refused.json["error"]["message"]
    _moved_once(session, world)


@pytest.mark.postgres
def test_two_web_completes_close_the_task_once(app, session, factory, monkeypatch):
    clock.freeze(NOW)
    world = build(factory)
    manager = factory.user("manager")  # the rep and their manager click at the same moment
    session.commit()
    _hold_both_at_the_check(monkeypatch)
    clients = []
    for who in (world.rep, manager):
        c = app.test_client()
        with app.app_context():  # a fresh `g`, so the second login isn't taken for the first user's
            assert login(c, who.email).status_code == 302
        clients.append(c)

    def send(_unused, n):
        return clients[n].post(f"/tasks/{world.task.id}/complete", data={"outcome": "connected"},
                               headers={"HX-Request": "true"})

    answers = _race(app, send)
    assert [r.status_code for r in answers] == [200, 200], [(r.status_code, r.headers.get("Location")) for r in answers]
    refused = [r for r in answers if r.headers.get("HX-Retarget") == "#panel"]
    assert len(refused) == 1 and "already done" in refused[0].get_data(as_text=True)
    _moved_once(session, world)


@pytest.mark.postgres
def test_a_task_loaded_for_update_is_not_read_again_and_the_note_ends_with_the_transaction(session, factory,
                                                                                           monkeypatch):
    """Issue 22: the API loads the task under its row lock, so completing it needs no second locked read; the
    note of the lock ends with the transaction, so a later one takes the lock again."""
    clock.freeze(NOW)
    world = build(factory)
    session.commit()
    refreshed: list[int] = []
    real = session.refresh
    monkeypatch.setattr(session, "refresh", lambda obj, **kw: (refreshed.append(obj.id), real(obj, **kw))[1])
    task = outcomes.load_task(session, world.task.id, world.rep, for_update=True)
    outcomes._lock_open(session, task)
    assert refreshed == []
    session.commit()
    outcomes._lock_open(session, task)  # a new transaction: no lock held, so it is taken (and the row re-read)
    assert refreshed == [world.task.id]
