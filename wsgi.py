"""WSGI entry point for a clone: `gunicorn wsgi:app` (an installed package uses `sequencer.wsgi:app`)."""
from sequencer.wsgi import app

__all__ = ["app"]
