"""A process-wide "stop after this step" flag: a worker's SIGTERM sets it, long loops (a send batch) read it."""
from __future__ import annotations

import threading

_requested = threading.Event()


def request() -> None:
    _requested.set()


def requested() -> bool:
    return _requested.is_set()


def reset() -> None:
    _requested.clear()


def wait(seconds: float) -> bool:
    """Sleep up to `seconds`, waking early when a stop is requested; True if it was."""
    return _requested.wait(seconds)
