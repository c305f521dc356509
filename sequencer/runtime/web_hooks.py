"""The web app's operating side: a request id and user id on every log line, one line and one latency
sample per request (by route, never the raw path), the token-protected `/metrics`, and Sentry when set."""
from __future__ import annotations

import hmac
import logging
import re
import time
import uuid

from flask import Blueprint, Flask, Response, abort, current_app, g, request

from sequencer.extensions import db, redis_store
from sequencer.platform import clock
from sequencer.runtime import logs, metrics, sentry

log = logging.getLogger("sequencer.request")
bp = Blueprint("metrics", __name__)
_SAFE_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


@bp.get("/metrics")
def scrape():
    """Prometheus text; only with `Authorization: Bearer <METRICS_TOKEN>` (404 when no token is set)."""
    token = current_app.config.get("METRICS_TOKEN")
    if not token:
        abort(404)
    given = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
    if not hmac.compare_digest(given.encode(), token.encode()):
        abort(401)
    try:
        conn = redis_store.connection()
        conn.ping()
    except Exception:  # Redis down: the database figures still come, queue ones are left out
        conn = None
    body = metrics.scrape(metrics.StateCollector(db.session, conn, clock.now()))
    return Response(body, mimetype="text/plain; version=0.0.4")


def _start() -> None:
    given = request.headers.get("X-Request-ID", "")
    g.request_id = given if _SAFE_ID.match(given) else uuid.uuid4().hex
    g.request_started = time.perf_counter()
    logs.bind(request_id=g.request_id, user_id=None)


def _finish(response: Response) -> Response:
    elapsed = time.perf_counter() - g.get("request_started", time.perf_counter())
    endpoint = request.url_rule.rule if request.url_rule is not None else "<unmatched>"
    user = g.get("_login_user")  # only if the view loaded it: a static file costs no user query
    logs.bind(user_id=user.id if user is not None and user.is_authenticated else None)
    response.headers["X-Request-ID"] = g.get("request_id", "")
    if endpoint != "/metrics":
        metrics.HTTP_LATENCY.labels(endpoint, request.method, str(response.status_code)).observe(elapsed)
    log.info("request", extra={"method": request.method, "endpoint": endpoint, "status": response.status_code,
                               "duration_ms": round(elapsed * 1000, 1)})
    return response


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    app.before_request(_start)
    app.after_request(_finish)
    app.teardown_request(lambda _exc: logs.clear())
    sentry.init(app.config.get("SENTRY_DSN"), component="web")
