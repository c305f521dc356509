"""Admins' view of the job queues (RQ): depth and oldest job per queue, workers, cron, failed jobs with
their tracebacks, and requeue. Our own page because rq-dashboard 0.9.0 does not import (it needs `six`,
which it does not declare) and its pages rely on inline scripts our Content-Security-Policy refuses."""
from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _

from sequencer.errors import DomainError
from sequencer.extensions import redis_store
from sequencer.ops import rq_info
from sequencer.platform import clock
from sequencer.web import web_bp
from sequencer.web.access import ADMINS, roles_required
from sequencer.web.locale import say


@web_bp.get("/settings/queues")
@roles_required(*ADMINS)
def settings_queues():
    conn = redis_store.connection()
    now = clock.now()
    tick = rq_info.last_cron_tick(conn)
    return render_template("web/ops/queues.html", tab="queues", queues=rq_info.queue_stats(conn, now),
                           workers=rq_info.workers(conn), failed=rq_info.failed_jobs(conn),
                           cron_age=int((now - tick).total_seconds()) if tick else None)


@web_bp.post("/settings/queues/failed/<job_id>/requeue")
@roles_required(*ADMINS)
def settings_requeue_job(job_id: str):
    try:
        queue = rq_info.requeue(redis_store.connection(), job_id)
    except DomainError as exc:
        flash(say(exc.message), "error")
    else:
        flash(_("Job %(job)s is back on the %(queue)s queue.", job=job_id, queue=queue), "success")
    return redirect(url_for("web.settings_queues"))
