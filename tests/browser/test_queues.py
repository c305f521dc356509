"""In a real browser: an admin reads a failed job's traceback on Settings → Queues and requeues it.

Set SHOTS_DIR=/some/dir to keep screenshots (1280 px and 390 px wide).
"""
from __future__ import annotations

import os

from rq import SimpleWorker, Worker

from sequencer.ops.rq_info import record_cron_tick
from sequencer.platform import clock, queues
from tests.browser.conftest import sign_in

SHOTS = os.environ.get("SHOTS_DIR")


def _shot(page, name: str) -> None:
    if SHOTS:
        os.makedirs(SHOTS, exist_ok=True)
        page.screenshot(path=os.path.join(SHOTS, f"{name}.png"), full_page=True)


def test_admin_reads_a_traceback_and_requeues_the_job(live_server, page, factory, session, redis_conn):
    admin = factory.user("admin", email="ops-admin@example.com")
    session.commit()
    failing = queues.enqueue(queues.DEFAULT, "workers.jobs.no_such_job", 7, connection=redis_conn)
    SimpleWorker([queues.queue(queues.DEFAULT, redis_conn)], connection=redis_conn).work(burst=True)
    queues.enqueue(queues.SEND, "workers.jobs.send_batch", 1, [1], "demo-token", connection=redis_conn)
    idle = Worker([queues.queue(n, redis_conn) for n in queues.ALL], connection=redis_conn, name="web-1.example")
    idle.register_birth()
    idle.heartbeat()
    record_cron_tick(redis_conn, clock.now())

    sign_in(page, live_server, admin.email)
    page.click("text=Settings")
    page.click("nav.tabs >> text=Queues")
    page.wait_for_selector(f"#job-{failing.id}")
    assert page.locator("tr", has_text="send").first.is_visible()
    assert page.locator("text=web-1.example").is_visible()
    page.click(f"#job-{failing.id} summary")
    assert "no_such_job" in page.locator(f"#job-{failing.id} pre.traceback").inner_text()
    page.set_viewport_size({"width": 1280, "height": 900})
    _shot(page, "queues-1280")
    page.set_viewport_size({"width": 390, "height": 844})
    _shot(page, "queues-390")

    page.set_viewport_size({"width": 1280, "height": 900})
    page.click(f"#job-{failing.id} button:has-text('Requeue')")
    page.wait_for_selector("text=is back on the default queue")
    assert page.locator(f"#job-{failing.id}").count() == 0
    assert page.console_errors == [] and page.server_errors == []
    idle.register_death()
