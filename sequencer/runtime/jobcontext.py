"""One Flask app per worker process, so jobs get sessions and config without importing request state.

It lives in `sequencer` (not `workers`) because `sequencer worker` and `sequencer jobs run` bind the
app the jobs then use; `workers.context` re-exports it for the jobs.
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


def job_app() -> Flask:
    global _app
    if _app is None:
        from sequencer.app import create_app

        _app = create_app()
    return _app


@contextmanager
def app_context() -> Iterator[Flask]:
    app = job_app()
    with app.app_context():
        yield app


@contextmanager
def bound(app: Flask) -> Iterator[Flask]:
    """Jobs run in this block use `app`; the previous binding comes back afterwards."""
    previous = _app
    bind_app(app)
    try:
        yield app
    finally:
        bind_app(previous)
