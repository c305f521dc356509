"""The API's error shape: `{"error": {code, message, details}}` for refusals, HTTP errors and crashes."""
from __future__ import annotations

from typing import Any

from flask import Blueprint, Flask, jsonify

from sequencer.errors import DomainError, http_status

HTTP_CODES = {
    400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
    405: "method_not_allowed", 409: "conflict", 413: "too_large", 415: "unsupported_media_type",
    422: "validation_error", 429: "rate_limited",
}


class ApiError(Exception):
    """What only HTTP can say (no token, wrong media type, unparseable body); rules raise DomainError."""

    def __init__(self, status: int, code: str, message: str, details: list | None = None, **extra: Any):
        super().__init__(message)
        self.status, self.code, self.message = status, code, message
        self.details = details or []
        self.extra = extra


def error_body(code: str, message: str, details: list | None = None, **extra: Any) -> dict:
    return {"error": {"code": code, "message": message, "details": details or [], **extra}}


def refusal_response(exc: DomainError):
    return jsonify(error_body(exc.code, exc.message, exc.details, **exc.extra)), http_status(exc)


def api_error_response(exc: ApiError):
    return jsonify(error_body(exc.code, exc.message, exc.details, **exc.extra)), exc.status


def http_error_response(status: int, message: str):
    return jsonify(error_body(HTTP_CODES.get(status, "error"), message)), status


def register(bp: Blueprint | Flask) -> None:
    bp.register_error_handler(DomainError, refusal_response)
    bp.register_error_handler(ApiError, api_error_response)
