"""Log lines: JSON (one object per event) or text, chosen by LOG_FORMAT, with who/what each line is about.

Web lines carry `request_id` and `user_id`, worker lines `job_id` and `claim_token`, from context variables
set where a request or job starts. Lines name routes (the URL rule), never raw paths, query strings,
form fields or message bodies, so no secret or email text reaches a log.
"""
from __future__ import annotations

import logging
import os
import sys
from contextvars import ContextVar
from typing import IO, Any

from pythonjsonlogger.json import JsonFormatter

CONTEXT_FIELDS = ("request_id", "user_id", "job_id", "claim_token")
_context: dict[str, ContextVar[Any]] = {name: ContextVar(name, default=None) for name in CONTEXT_FIELDS}
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
JSON_FIELDS = "%(asctime)s %(levelname)s %(name)s %(message)s"


def bind(**values: Any) -> None:
    """Attach values to every line logged from here on in this request or job (None clears one)."""
    for name, value in values.items():
        _context[name].set(value)


def clear() -> None:
    bind(**dict.fromkeys(CONTEXT_FIELDS))


class ContextFilter(logging.Filter):
    """Copies the bound request/job fields onto each record (absent ones are left out of JSON lines)."""

    def filter(self, record: logging.LogRecord) -> bool:
        for name, var in _context.items():
            value = var.get()
            if value is not None and not hasattr(record, name):
                setattr(record, name, value)
        return True


def log_format(env: dict[str, str] | None = None) -> str:
    value = ((env if env is not None else os.environ).get("LOG_FORMAT") or "text").strip().lower()
    return value if value in {"json", "text"} else "text"


def formatter(fmt: str) -> logging.Formatter:
    if fmt == "json":
        return JsonFormatter(JSON_FIELDS, rename_fields={"asctime": "time", "levelname": "level", "name": "logger"},
                             json_ensure_ascii=False)
    return logging.Formatter(TEXT_FORMAT)


def configure(fmt: str | None = None, level: int = logging.INFO, stream: IO[str] | None = None) -> None:
    """One stderr handler on the root logger; every library's records (RQ, gunicorn, ours) go through it."""
    fmt = fmt or log_format()
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(formatter(fmt))
    handler.addFilter(ContextFilter())
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level)
    logging.getLogger("alembic").setLevel(logging.WARNING)  # its per-plugin INFO chatter on every command


def gunicorn_logconfig(fmt: str | None = None) -> dict:
    """gunicorn's `logconfig_dict`: its own error log in the same format, on the same handler as ours."""
    fmt = fmt or log_format()
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"context": {"()": ContextFilter}},
        "formatters": {"main": {"()": formatter, "fmt": fmt}},
        "handlers": {"stderr": {"class": "logging.StreamHandler", "stream": "ext://sys.stderr",
                                "formatter": "main", "filters": ["context"]}},
        "root": {"level": "INFO", "handlers": ["stderr"]},
        "loggers": {"gunicorn.error": {"level": "INFO", "handlers": [], "propagate": True},
                    "gunicorn.access": {"level": "INFO", "handlers": [], "propagate": True}},
    }
