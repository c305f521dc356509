"""A process-wide "stop after this step" flag: a worker's SIGTERM sets it, long loops (a send batch) read it.

It is set from signal handlers, so it is a plain flag and never a lock: a `threading.Event` deadlocks when
the signal lands while the main thread holds the Event's own lock inside `wait()`.
"""
from __future__ import annotations

import time

_POLL_SECONDS = 0.05
_requested = False


def request() -> None:
    global _requested
    _requested = True


def requested() -> bool:
    return _requested


def reset() -> None:
    global _requested
    _requested = False


def wait(seconds: float) -> bool:
    """Sleep up to `seconds`, waking within a poll step when a stop is requested; True if it was."""
    deadline = time.monotonic() + seconds
    while not _requested:
        left = deadline - time.monotonic()
        if left <= 0:
            return False
        time.sleep(min(left, _POLL_SECONDS))
    return True
