"""Extensions created unbound, and the Flask side of the database and Redis; `create_app` initialises them.

Only entry points (app, api, web, cli, runtime) import this module: feature packages take a session or a
connection as an argument.
"""
from __future__ import annotations

import threading

import redis
from flask import Flask, current_app
from flask.globals import app_ctx
from flask_login import LoginManager
from flask_wtf.csrf import CSRFProtect
from sqlalchemy import Engine
from sqlalchemy.orm import Session, scoped_session, sessionmaker

from sequencer.platform.db import end_session, make_engine
from sequencer.platform.redis_conn import embedded_redis


def _app_ctx_id() -> int:
    """Sessions are scoped to the app context, so a job run in-process gets its own."""
    return id(app_ctx._get_current_object())  # type: ignore[attr-defined]  # LocalProxy, typed as AppContext


class Database:
    """Flask extension: one engine and one scoped session per app."""

    def init_app(self, app: Flask) -> None:
        engine = make_engine(app.config["DATABASE_URL"])
        factory = sessionmaker(bind=engine, expire_on_commit=False)
        app.extensions["sequencer.db"] = (engine, scoped_session(factory, scopefunc=_app_ctx_id))

        @app.teardown_appcontext
        def _remove_session(exc: BaseException | None) -> None:
            scoped = app.extensions["sequencer.db"][1]
            if exc is None:
                end_session(scoped)
            else:
                scoped.remove()

    @property
    def engine(self) -> Engine:
        return current_app.extensions["sequencer.db"][0]

    @property
    def session(self) -> Session:
        return current_app.extensions["sequencer.db"][1]()

    def remove(self) -> None:
        """End this thread's session (what the app does at teardown)."""
        current_app.extensions["sequencer.db"][1].remove()


db = Database()


class RedisConnector:
    """Flask extension: connects lazily, so create_app does no I/O."""

    def init_app(self, app: Flask) -> None:
        app.extensions["sequencer.redis"] = {"lock": threading.Lock(), "conn": None}

    def connection(self, app: Flask | None = None) -> redis.Redis:
        app = app or current_app._get_current_object()  # type: ignore[attr-defined]  # LocalProxy, typed as Flask
        state = app.extensions["sequencer.redis"]
        with state["lock"]:
            if state["conn"] is None:
                url = app.config.get("REDIS_URL")
                if url:
                    state["conn"] = redis.Redis.from_url(url, socket_connect_timeout=5, socket_timeout=30)
                else:
                    state["conn"] = embedded_redis(app.config["INSTANCE_PATH"])
            return state["conn"]


redis_store = RedisConnector()


login_manager = LoginManager()
csrf = CSRFProtect()

__all__ = ["csrf", "db", "login_manager", "redis_store"]
