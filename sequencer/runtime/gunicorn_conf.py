"""The web server's settings: `gunicorn -c python:sequencer.runtime.gunicorn_conf sequencer.wsgi:app`
(`sequencer run` uses them too).

Threaded workers, because reps keep the queue open all day: a browser's idle keep-alive connection waits in the
worker's event loop instead of holding the whole worker, as it would with gunicorn's default sync workers.
Command-line flags and gunicorn's own environment variables (WEB_CONCURRENCY, GUNICORN_CMD_ARGS) override these.
Logs follow LOG_FORMAT (our request line replaces gunicorn's access log); a worker that exits has its
Prometheus samples marked dead (PROMETHEUS_MULTIPROC_DIR).
"""
import os

from sequencer.runtime.logs import gunicorn_logconfig

wsgi_app = "sequencer.wsgi:app"
bind = os.environ.get("SEQUENCER_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", 2 * (os.cpu_count() or 1)))
worker_class = "gthread"
threads = 4
keepalive = 5  # seconds an idle connection stays open between a rep's clicks
graceful_timeout = 10
logconfig_dict = gunicorn_logconfig()


def child_exit(server, worker) -> None:  # noqa: ARG001  (gunicorn's hook signature)
    from sequencer.runtime.metrics import mark_dead

    mark_dead(worker.pid)
