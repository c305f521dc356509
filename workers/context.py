"""The app a job runs in; it lives in sequencer.runtime.jobcontext, which `sequencer worker` binds."""
from sequencer.runtime.jobcontext import app_context, bind_app, job_app

__all__ = ["app_context", "bind_app", "job_app"]
