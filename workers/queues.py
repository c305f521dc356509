"""Queue names, in the order a worker serves them: dispatch before sending before the rest."""
from __future__ import annotations

import redis
from rq import Queue

DISPATCH = "dispatch"
SEND = "send"
DEFAULT = "default"
ALL = (DISPATCH, SEND, DEFAULT)


def queue(name: str, connection: redis.Redis) -> Queue:
    return Queue(name, connection=connection)
