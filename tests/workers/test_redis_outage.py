"""Redis going away: a large import is stored as `waiting` and says why, resume_imports hands it on when
Redis is back; the worker's scheduler child is reaped and started again."""
from __future__ import annotations

import io
import time

import pytest
import redis
from rq import SimpleWorker
from rq.scheduler import RQScheduler

from sequencer.extensions import redis_store
from sequencer.models import ImportStatus, ProspectImport
from sequencer.people.csv_import import launch, service
from sequencer.platform import clock, shutdown
from sequencer.runtime import worker as runtime_worker
from tests.people.csv_import.helpers import csv_bytes
from tests.support.throwaway_redis import ThrowawayRedis
from workers import queues
from workers.context import bind_app

ROWS = [["Email", "First Name"], ["a@acme.com", "Ann"], ["b@acme.com", "Bob"]]


@pytest.fixture
def own_redis():
    server = ThrowawayRedis().start()
    yield server
    server.stop()


def test_a_large_import_waits_for_redis_and_runs_when_it_is_back(api, app, session, own_redis, monkeypatch):
    monkeypatch.setattr(service, "INLINE_BYTES", 10)
    connection = redis.Redis.from_url(own_redis.url, socket_connect_timeout=1)
    monkeypatch.setattr(redis_store, "connection", lambda app=None: connection)
    manager = api("manager")
    own_redis.stop()

    res = manager.post("/api/v1/prospects/import", data={"file": (io.BytesIO(csv_bytes(ROWS)), "big.csv")},
                       content_type="multipart/form-data")
    assert res.status_code == 202, res.get_data(as_text=True)
    assert res.json["status"] == "waiting" and "Redis" in res.json["error"]
    import_id = res.json["id"]
    with app.test_client() as browser:
        from tests.conftest import login

        login(browser, manager.user.email)
        page = browser.get(f"/imports/{import_id}").get_data(as_text=True)
        assert "Waiting:" in page and "can&#39;t be reached" in page

    own_redis.start()
    assert launch.resume(session, connection, clock.now()) == 1
    session.expire_all()
    assert session.get(ProspectImport, import_id).status == ImportStatus.QUEUED
    bind_app(app)
    SimpleWorker([queues.queue(queues.DEFAULT, connection)], connection=connection).work(burst=True)
    session.expire_all()
    done = session.get(ProspectImport, import_id)
    assert (done.status, done.created_count, done.error) == (ImportStatus.DONE, 2, None)


@pytest.fixture
def scheduled_worker(own_redis):
    """A worker whose RQ scheduler child runs against the throwaway Redis; whatever child is left is stopped."""
    connection = redis.Redis.from_url(own_redis.url, socket_connect_timeout=1)
    worker = SimpleWorker([queues.queue(queues.DEFAULT, connection)], connection=connection)
    worker.scheduler = RQScheduler([queues.DEFAULT], connection=connection, interval=1)
    worker.scheduler.acquire_locks(auto_start=True)
    assert worker.scheduler._process is not None and worker.scheduler._process.is_alive()
    yield worker
    shutdown.reset()
    process = worker.scheduler._process
    if process is not None and process.is_alive():
        process.terminate()
        process.join(timeout=10)


def test_the_scheduler_child_is_started_again_after_redis_comes_back(own_redis, scheduled_worker):
    worker = scheduled_worker
    first = worker.scheduler._process
    own_redis.stop()
    first.join(timeout=20)
    assert not first.is_alive()  # died with Redis
    assert runtime_worker.restart_scheduler(worker) is False  # Redis still away: nothing to start yet
    own_redis.start()
    assert runtime_worker.restart_scheduler(worker) is True
    second = worker.scheduler._process
    assert second is not first and second.is_alive()
    time.sleep(0.2)
    assert runtime_worker.restart_scheduler(worker) is False  # alive: left alone


def test_a_stopping_worker_does_not_start_the_scheduler_its_shutdown_stopped(scheduled_worker):
    """Seen in CI: the watcher restarted the scheduler between a warm shutdown and the worker's exit, and the
    worker then never exited (it waits on its scheduler child)."""
    worker = scheduled_worker
    first = worker.scheduler._process
    shutdown.request()
    time.sleep(1)  # the child has installed its handler: SIGTERM now stops it cleanly, releasing its locks
    first.terminate()  # as the warm shutdown stops it
    first.join(timeout=10)
    assert not worker.connection.keys("rq:scheduler-lock:*")
    assert runtime_worker.restart_scheduler(worker) is False
    assert worker.scheduler._process is first
