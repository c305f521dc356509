"""Error pages for the UI, and the JSON shape for API paths that never reached a blueprint (404, 405)."""
from __future__ import annotations

import logging

from flask import Flask, jsonify, render_template, request
from flask_babel import gettext as _, lazy_gettext
from flask_login import current_user
from werkzeug.exceptions import HTTPException, default_exceptions

from sequencer.api.errors import ApiError, api_error_response, error_body, http_error_response, refusal_response
from sequencer.errors import DomainError, http_status
from sequencer.web.locale import say

log = logging.getLogger(__name__)


def wants_json() -> bool:
    return request.path.startswith("/api/") or request.path == "/healthz"


# what a person reads for each status, instead of the HTTP reason phrase
FRIENDLY = {
    400: (lazy_gettext("That did not work"),
          lazy_gettext("Part of what was sent could not be read. Go back, reload the page and try again.")),
    403: (lazy_gettext("Not allowed"),
          lazy_gettext("Your role does not open this. Ask a manager or an admin if you need it.")),
    404: (lazy_gettext("Page not found"),
          lazy_gettext("There is nothing here: the link may be old, mistyped, or what it showed was deleted.")),
    405: (lazy_gettext("Not possible here"),
          lazy_gettext("This address is not used that way. Go back and use the page's own buttons.")),
    409: (lazy_gettext("Already changed"),
          lazy_gettext("Someone or something changed this first. Reload the page to see where it stands.")),
    429: (lazy_gettext("Slow down a little"),
          lazy_gettext("Too many tries in a short time. Wait a minute, then try again.")),
    500: (lazy_gettext("Something went wrong"), lazy_gettext("The error was logged. Try again, or tell your admin.")),
}
OTHER = (lazy_gettext("Not possible"), lazy_gettext("That could not be done."))
_STOCK = {code: exc.description for code, exc in default_exceptions.items()}


def friendly(status: int, detail: str | None = None) -> tuple[str, str]:
    """(title, message): our wording for the status; a specific reason we wrote ourselves is kept."""
    title, message = FRIENDLY.get(status, OTHER)
    if detail and detail != _STOCK.get(status):
        message = say(detail)
    return str(title), str(message)


def page(status: int, title: str, message: str):
    """Signed-in people keep the navigation (except on a 500, which must render with the database down)."""
    back = request.referrer if request.referrer and request.referrer != request.url else None
    if status < 500 and current_user and current_user.is_authenticated:
        try:
            return render_template("web/errors/with_nav.html", status=status, title=title, message=message,
                                   back=back), status
        except Exception:  # the shell's badges query the database; fall back to the bare page
            log.warning("error page without navigation for %s", request.path, exc_info=True)
    return render_template("web/error.html", status=status, title=title, message=message, back=back), status


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
        return page(status, friendly(status)[0], say(exc.message))

    @app.errorhandler(HTTPException)
    def _http_error(exc: HTTPException):
        status = exc.code or 500
        if wants_json():
            return http_error_response(status, exc.description or exc.name)
        if status == 400 and "CSRF" in (exc.description or ""):
            return page(400, _("Form expired"),
                        _("The form expired or was sent from elsewhere. Reload the page and try again."))
        return page(status, *friendly(status, exc.description))

    @app.errorhandler(Exception)
    def _unhandled(exc: Exception):
        log.exception("unhandled error on %s %s", request.method, request.path)
        if wants_json():
            return jsonify(error_body("internal_error", "Something went wrong on our side.")), 500
        return page(500, *friendly(500))
