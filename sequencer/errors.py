"""One error shape for the API, proper pages for the UI."""
from __future__ import annotations

import logging
from typing import Any

from flask import Flask, jsonify, render_template, request
from werkzeug.exceptions import HTTPException

log = logging.getLogger(__name__)

HTTP_CODES = {
    400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
    405: "method_not_allowed", 409: "conflict", 413: "too_large", 415: "unsupported_media_type",
    422: "validation_error", 429: "rate_limited",
}


class ApiError(Exception):
    """Raised by handlers and services; rendered as `{"error": {code, message, details}}`."""

    def __init__(self, status: int, code: str, message: str, details: list | None = None, **extra: Any):
        super().__init__(message)
        self.status, self.code, self.message = status, code, message
        self.details = details or []
        self.extra = extra


def error_body(code: str, message: str, details: list | None = None, **extra: Any) -> dict:
    return {"error": {"code": code, "message": message, "details": details or [], **extra}}


def wants_json() -> bool:
    return request.path.startswith("/api/") or request.path == "/healthz"


def init_app(app: Flask) -> None:
    @app.errorhandler(ApiError)
    def _api_error(exc: ApiError):
        return jsonify(error_body(exc.code, exc.message, exc.details, **exc.extra)), exc.status

    @app.errorhandler(HTTPException)
    def _http_error(exc: HTTPException):
        status = exc.code or 500
        if wants_json():
            code = HTTP_CODES.get(status, "error")
            return jsonify(error_body(code, exc.description or exc.name)), status
        if status == 400 and "CSRF" in (exc.description or ""):
            return render_template("web/error.html", status=400, title="Form expired",
                                   message="The form expired or was sent from elsewhere. Reload the page and try again."), 400
        return render_template("web/error.html", status=status, title=exc.name,
                               message=exc.description), status

    @app.errorhandler(Exception)
    def _unhandled(exc: Exception):
        log.exception("unhandled error on %s %s", request.method, request.path)
        if wants_json():
            return jsonify(error_body("internal_error", "Something went wrong on our side.")), 500
        return render_template("web/error.html", status=500, title="Something went wrong",
                               message="The error was logged. Try again, or tell your admin."), 500
