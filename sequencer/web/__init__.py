"""The server-rendered UI (Jinja + htmx)."""
from flask import Blueprint

web_bp = Blueprint("web", __name__)

from sequencer.web import auth, builder, enroll, hygiene, imports, inbound, pages, personas, settings  # noqa: E402,F401  (routes register on import)
