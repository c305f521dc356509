"""The app a job runs in: the one `sequencer worker` or `sequencer jobs run` bound, else one built from the
environment once per process (a plain `rq worker`)."""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from flask import Flask

from sequencer.app import create_app
from sequencer.runtime.jobcontext import bind_app, bound_app

__all__ = ["app_context", "bind_app", "job_app"]


def job_app() -> Flask:
    app = bound_app()
    if app is None:
        app = create_app()
        bind_app(app)
    return app


@contextmanager
def app_context() -> Iterator[Flask]:
    app = job_app()
    with app.app_context():
        yield app
