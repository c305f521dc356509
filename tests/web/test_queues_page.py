"""Settings → Queues: admins see queues, workers and failed jobs with tracebacks, and requeue; others may not."""
from __future__ import annotations

from rq import SimpleWorker

from sequencer.ops.rq_info import record_cron_tick
from sequencer.platform import clock, queues
from tests.conftest import login


def _failed_job(redis_conn) -> str:
    q = queues.queue(queues.DEFAULT, redis_conn)
    job = queues.enqueue(queues.DEFAULT, "workers.jobs.no_such_job", 7, connection=redis_conn)
    SimpleWorker([q], connection=redis_conn).work(burst=True)
    return job.id


def test_admin_sees_failed_jobs_with_tracebacks_and_requeues_one(app, client, factory, session, redis_conn):
    admin = factory.user("admin")
    session.commit()
    job_id = _failed_job(redis_conn)
    record_cron_tick(redis_conn, clock.now())
    login(client, admin.email)

    page = client.get("/settings/queues")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "workers.jobs.no_such_job" in html and job_id in html
    assert "Traceback" in html and "no_such_job" in html.split("<pre", 1)[1]
    assert "cron: last tick" in html and "<script>" not in html

    reply = client.post(f"/settings/queues/failed/{job_id}/requeue")
    assert reply.status_code == 302
    q = queues.queue(queues.DEFAULT, redis_conn)
    assert q.job_ids == [job_id] and q.failed_job_registry.count == 0
    assert "back on the default queue" in client.get("/settings/queues").get_data(as_text=True)

    assert client.post("/settings/queues/failed/no-such-id/requeue").status_code == 302  # a flash, not a crash


def test_only_admins_see_the_queues(client, factory, session):
    for role in ("rep", "manager"):
        user = factory.user(role)
        session.commit()
        with client.application.app_context():
            login(client, user.email)
        assert client.get("/settings/queues").status_code == 403
        assert client.post("/settings/queues/failed/x/requeue").status_code == 403
        client.get("/logout")
