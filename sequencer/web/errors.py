"""Error pages for the UI, and the JSON shape for API paths that never reached a blueprint (404, 405)."""
from __future__ import annotations

import logging

from flask import Flask, jsonify, render_template, request
from werkzeug.exceptions import HTTPException

from sequencer.api.errors import ApiError, api_error_response, error_body, http_error_response, refusal_response
from sequencer.errors import DomainError, http_status

log = logging.getLogger(__name__)


def wants_json() -> bool:
    return request.path.startswith("/api/") or request.path == "/healthz"


def page(status: int, title: str, message: str):
    return render_template("web/error.html", status=status, title=title, message=message), status


def init_app(app: Flask) -> None:
    @app.errorhandler(ApiError)
    def _api_error(exc: ApiError):
        return api_error_response(exc)

    @app.errorhandler(DomainError)
    def _refusal(exc: DomainError):
        """A refusal a page did not turn into a form error: the status page with the reason."""
        if wants_json():
            return refusal_response(exc)
        status = http_status(exc)
        return page(status, {403: "Forbidden", 404: "Not Found", 409: "Conflict"}.get(status, "Not possible"),
                     exc.message)

    @app.errorhandler(HTTPException)
    def _http_error(exc: HTTPException):
        status = exc.code or 500
        if wants_json():
            return http_error_response(status, exc.description or exc.name)
        if status == 400 and "CSRF" in (exc.description or ""):
            return page(400, "Form expired",
                         "The form expired or was sent from elsewhere. Reload the page and try again.")
        return page(status, exc.name, exc.description or "")

    @app.errorhandler(Exception)
    def _unhandled(exc: Exception):
        log.exception("unhandled error on %s %s", request.method, request.path)
        if wants_json():
            return jsonify(error_body("internal_error", "Something went wrong on our side.")), 500
        return page(500, "Something went wrong", "The error was logged. Try again, or tell your admin.")
