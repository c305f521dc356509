"""Helpers for API handlers: the caller, role checks, and schema-validated JSON bodies."""
from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import g, request
from marshmallow import Schema, ValidationError

from sequencer.api.errors import ApiError
from sequencer.models import Role, User


def current_api_user() -> User:
    return g.api_user


def require_roles(*roles: Role) -> Callable:
    """403 `forbidden` unless the token's user holds one of `roles`."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any):
            if current_api_user().role not in roles:
                raise ApiError(403, "forbidden", f"requires role {' or '.join(r.value for r in roles)}")
            return view(*args, **kwargs)

        wrapped.api_roles = roles  # type: ignore[attr-defined]  # read by the OpenAPI document (adds the 403 answer)
        return wrapped

    return decorator


def _flatten(messages: Any, prefix: str = "") -> list[dict]:
    out: list[dict] = []
    if isinstance(messages, dict):
        for key, value in messages.items():
            out += _flatten(value, f"{prefix}.{key}" if prefix else str(key))
    elif isinstance(messages, list) and all(isinstance(m, str) for m in messages):
        out += [{"field": prefix, "message": m} for m in messages]
    elif isinstance(messages, list):
        for m in messages:
            out += _flatten(m, prefix)
    else:
        out.append({"field": prefix, "message": str(messages)})
    return out


def load_json(schema: Schema, optional: bool = False) -> dict:
    """The request's JSON body loaded through `schema`; 422 with per-field details otherwise."""
    body = request.get_json(silent=True)
    if optional and body is None and not request.get_data():
        body = {}
    if not isinstance(body, dict):
        raise ApiError(422, "validation_error", "the body must be a JSON object",
                       [{"field": "", "message": "expected a JSON object"}])
    try:
        return schema.load(body)
    except ValidationError as exc:
        details = _flatten(exc.messages)
        summary = "; ".join(f"{d['field']}: {d['message']}" for d in details[:3])
        raise ApiError(422, "validation_error", summary or "invalid input", details) from None
