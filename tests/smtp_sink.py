"""Moved to tests/support/smtp_sink.py; delete once tests/workers/ imports from there."""
from tests.support.smtp_sink import *  # noqa: F403
