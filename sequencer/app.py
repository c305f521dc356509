"""The application factory: configuration, extensions and blueprints; no I/O beyond wiring."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Flask

from sequencer.config import load_settings
from sequencer.extensions import csrf, db, limiter, login_manager, redis_store

ROOT = Path(__file__).resolve().parent.parent


def _limiter_storage(redis_url: str | None) -> str:
    """Login throttling shares Redis across processes; `limits` spells unix sockets redis+unix://."""
    if not redis_url:
        return "memory://"
    return "redis+" + redis_url if redis_url.startswith("unix://") else redis_url


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Build the app from the environment; `config` overrides settings (tests use it)."""
    settings = load_settings()
    settings.update(config or {})
    app = Flask(
        __name__,
        instance_path=settings["INSTANCE_PATH"],
        template_folder=str(ROOT / "templates"),
        static_folder="static",
    )
    app.config.update(settings)
    app.config.setdefault("RATELIMIT_STORAGE_URI", _limiter_storage(settings.get("REDIS_URL")))
    app.config.setdefault("RATELIMIT_SWALLOW_ERRORS", True)

    db.init_app(app)
    redis_store.init_app(app)
    csrf.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)

    from sequencer.api import api_bp
    from sequencer.web import errors, health, public, web_bp

    csrf.exempt(api_bp)
    app.register_blueprint(health.bp)
    app.register_blueprint(public.bp)
    app.register_blueprint(api_bp)
    app.register_blueprint(web_bp)
    errors.init_app(app)

    from sequencer import cli

    cli.init_app(app)
    _install_webhooks(app)
    return app


def _install_webhooks(app: Flask) -> None:
    """The outbox hook (events written with their change) and the nudge that wakes the deliverer after a commit."""
    import logging

    import redis

    from sequencer.platform import queues
    from sequencer.webhooks import hook

    def kick() -> None:
        try:
            conn = redis_store.connection(app)
            if conn.set("webhooks:kick", 1, nx=True, px=500):
                queues.enqueue(queues.WEBHOOKS, "workers.jobs.webhooks_pump", connection=conn,
                               job_timeout=120, result_ttl=60)
        except (redis.RedisError, OSError):  # Redis is transport: the periodic sweep delivers anyway
            logging.getLogger(__name__).warning("could not wake the webhook deliverer", exc_info=True)

    hook.install(kick)
