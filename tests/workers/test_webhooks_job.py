"""A commit that writes events nudges the webhooks queue; the job delivers them, and running it again does nothing."""
from __future__ import annotations

import pytest
from rq import SimpleWorker

from tests.webhooks.receiver import Receiver
from workers import jobs, queues
from workers.context import bind_app
from workers.schedule import SCHEDULE


@pytest.fixture
def app_config(app_config: dict) -> dict:
    return {**app_config, "WEBHOOK_ALLOWED_PRIVATE": "127.0.0.1"}


def test_a_commit_nudges_the_job_which_delivers_once(app, factory, session, redis_conn, api):
    receiver = Receiver()
    try:
        bind_app(app)
        created = api("manager").post("/api/v1/webhooks", json={"url": receiver.url, "events": ["prospect.*"]})
        receiver.secrets.append(created.get_json()["secret"])
        redis_conn.delete("webhooks:kick")
        q = queues.queue(queues.WEBHOOKS, redis_conn)
        q.empty()
        factory.prospect()
        session.commit()
        assert [j.func_name for j in q.jobs] == ["workers.jobs.webhooks_pump"]
        second = q.enqueue(jobs.webhooks_pump)
        SimpleWorker([q], connection=redis_conn).work(burst=True)
        assert [r["body"]["type"] for r in receiver.received] == ["prospect.created"]
        assert second.return_value()["delivered"] == 0
        assert any(p.func is jobs.webhooks_pump and p.queue == queues.WEBHOOKS for p in SCHEDULE)
    finally:
        receiver.close()
