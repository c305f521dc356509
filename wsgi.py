"""WSGI entry point: `gunicorn wsgi:app`."""
import sys

from sequencer.app import create_app
from sequencer.config import ConfigError

try:
    app = create_app()
except ConfigError as exc:
    sys.exit(f"sequencer: {exc}")
