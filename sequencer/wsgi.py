"""The WSGI entry point of an installed Sequencer: `gunicorn -c python:sequencer.runtime.gunicorn_conf sequencer.wsgi:app`."""
import sys

from sequencer.app import create_app
from sequencer.config import ConfigError
from sequencer.runtime import logs

logs.configure()
try:
    app = create_app()
except ConfigError as exc:
    sys.exit(f"sequencer: {exc}")
