"""The app a job runs in; it lives in sequencer.platform.jobcontext, which `sequencer worker` binds."""
from sequencer.platform.jobcontext import app_context, bind_app, job_app

__all__ = ["app_context", "bind_app", "job_app"]
