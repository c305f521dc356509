"""The domain's refusals: services raise these, and each door (API, UI, CLI, jobs) says them its own way.

Services never speak HTTP. `api/` turns a refusal into the contract's error shape with the status
below; `web/` into a form error or a flash; the CLI into a message and exit code 2.
"""
from __future__ import annotations

from typing import Any

from sequencer.texts import Text, tr


class DomainError(Exception):
    """A rule said no. `details` are `{"field", "message"}` dicts; `extra` rides along (e.g. existing_id)."""

    code = "error"

    def __init__(self, message: str, details: list[dict[str, Any]] | None = None, **extra: Any):
        super().__init__(message)
        self.message = message
        self.details = details or []
        self.extra = extra


class NotFound(DomainError):
    code = "not_found"


class Forbidden(DomainError):
    code = "forbidden"


class Invalid(DomainError):
    """Input that breaks a rule; `field()` builds the usual one-field case."""

    code = "validation_error"

    @classmethod
    def field(cls, field: str, message: str) -> Invalid:
        return cls(tr("%(field)s: %(message)s", field=field, message=message), [{"field": field, "message": message}])

    @classmethod
    def of(cls, details: list[dict[str, Any]]) -> Invalid:
        """Several field problems; the message names the first three."""
        parts = [tr("%(field)s: %(message)s", field=d["field"], message=d["message"]) if d.get("field") else d["message"]
                 for d in details[:3]]
        if not parts:
            return cls(tr("invalid input"), details)
        joined = "; ".join(f"%(p{i})s" for i in range(len(parts)))  # not a message id: only its parts are said
        return cls(Text(joined, {f"p{i}": p for i, p in enumerate(parts)}), details)


class Conflict(DomainError):
    """The thing exists but is in a state that refuses this (already done, someone else got there first)."""

    code = "conflict"


class Duplicate(Conflict):
    """Would create a second of something unique; `existing_id` names the first."""

    code = "duplicate"

    def __init__(self, message: str, existing_id: int, **extra: Any):
        super().__init__(message, existing_id=existing_id, **extra)


_STATUS: dict[type[DomainError], int] = {NotFound: 404, Forbidden: 403, Invalid: 422, Conflict: 409}


def http_status(exc: DomainError) -> int:
    """The HTTP status the doors answer with; the one place that maps refusals to HTTP."""
    for kind in type(exc).__mro__:
        if kind in _STATUS:
            return _STATUS[kind]
    return 400
