"""One Flask app per worker process, so jobs get sessions and config without importing request state."""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from flask import Flask

_app: Flask | None = None


def bind_app(app: Flask) -> None:
    global _app
    _app = app


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
