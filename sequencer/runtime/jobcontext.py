"""The Flask app the jobs of this process use, bound by `sequencer worker` and `sequencer jobs run`.

It lives in `sequencer` (not `workers`) because those commands bind it; `workers.context` gives the
jobs an app context from it, building the app itself only when nothing was bound (e.g. a plain `rq worker`).
"""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from flask import Flask

_app: Flask | None = None


def bind_app(app: Flask | None) -> None:
    global _app
    _app = app


def bound_app() -> Flask | None:
    return _app


@contextmanager
def bound(app: Flask) -> Iterator[Flask]:
    """Jobs run in this block use `app`; the previous binding comes back afterwards."""
    previous = _app
    bind_app(app)
    try:
        yield app
    finally:
        bind_app(previous)
