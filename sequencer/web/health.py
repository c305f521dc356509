"""`/healthz`: checks the database and Redis for real, for load balancers and `make run`."""
from __future__ import annotations

from flask import Blueprint, jsonify, redirect, url_for
from sqlalchemy import text

from sequencer.extensions import db, redis_store

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz():
    status = {"status": "ok", "database": "ok", "redis": "ok"}
    try:
        db.session.execute(text("SELECT 1"))
    except Exception as exc:  # any driver error means "down"
        status["database"] = f"error: {type(exc).__name__}"
    try:
        redis_store.connection().ping()
    except Exception as exc:
        status["redis"] = f"error: {type(exc).__name__}"
    ok = status["database"] == "ok" and status["redis"] == "ok"
    if not ok:
        status["status"] = "error"
    return jsonify(status), 200 if ok else 503


@bp.get("/favicon.ico")
def favicon():
    """Browsers ask for /favicon.ico whatever the page says."""
    return redirect(url_for("static", filename="favicon.svg"), code=301)
