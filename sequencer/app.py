"""The application factory: configuration, extensions and blueprints; no I/O beyond wiring."""
from __future__ import annotations

from typing import Any

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from sequencer.config import load_settings
from sequencer.extensions import csrf, db, login_manager, redis_store
from sequencer.platform.paths import templates_dir
from sequencer.scoring import own_events


def _score_soon(app: Flask) -> None:
    """Sequencer's own events were recorded as activities: the worker scores them now (one job per burst)."""
    from sequencer.scoring import soon

    soon.kick(redis_store.connection(app))


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Build the app from the environment; `config` overrides settings (tests use it)."""
    settings = load_settings()
    settings.update(config or {})
    for key in ("SESSION_COOKIE_SECURE", "REMEMBER_COOKIE_SECURE"):  # follow an overridden BASE_URL
        if key not in (config or {}):
            settings[key] = settings["BASE_URL"].startswith("https://")
    app = Flask(
        __name__,
        instance_path=settings["INSTANCE_PATH"],
        template_folder=str(templates_dir()),
        static_folder="static",
    )
    app.config.update(settings)
    if settings.get("TRUSTED_PROXIES"):  # X-Forwarded-For/-Proto believed from exactly that many proxies
        n = settings["TRUSTED_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=n, x_proto=n)  # type: ignore[method-assign]

    from sequencer.web import hardening, locale

    db.init_app(app)
    redis_store.init_app(app)
    hardening.init_app(app)  # before CSRFProtect: an upload's larger bound must hold when CSRF reads the form
    csrf.init_app(app)
    login_manager.init_app(app)
    locale.init_app(app)
    own_events.install(lambda: _score_soon(app))  # opens, clicks, replies, meetings, calls become scored activities

    from sequencer.api import api_bp
    from sequencer.web import edge, errors, forms_public, health, public, web_bp

    edge.init_app(app)
    csrf.exempt(api_bp)
    app.register_blueprint(health.bp)
    app.register_blueprint(public.bp)
    app.register_blueprint(forms_public.bp)
    app.register_blueprint(api_bp)
    app.register_blueprint(web_bp)
    errors.init_app(app)

    from sequencer.runtime import web_hooks

    web_hooks.init_app(app)

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
