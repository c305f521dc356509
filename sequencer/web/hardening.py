"""What every answer and request gets, whatever door: security headers, and a bounded request body (uploads
have their own, larger bound) with a clear 413 — the API's error shape or a page saying what to do."""
from __future__ import annotations

from flask import Flask, Response, current_app, request
from flask_babel import gettext as _

from sequencer.api.errors import http_error_response
from sequencer.web.errors import page, wants_json

# endpoints that take files or raw messages: they get UPLOAD_MAX_BYTES instead of MAX_CONTENT_LENGTH
UPLOAD_ENDPOINTS = frozenset({"api.import_prospects_endpoint", "api.inbound_endpoint", "web.import_upload",
                              "web.suppressions"})
# public doors anyone on the internet can post to: a much smaller bound (FORM_MAX_BYTES)
SMALL_BODY_ENDPOINTS = frozenset({"forms_public.submit"})

# No inline script or handler runs ('self' only; JSON data blocks are not scripts). Styles stay 'unsafe-inline':
# templates and emails (shown in sandboxed srcdoc frames, which inherit this policy) use style attributes.
# Images may come from https: so an email's remote images show in its preview.
CSP = "; ".join([
    "default-src 'self'", "script-src 'self'", "style-src 'self' 'unsafe-inline'", "img-src 'self' data: https:",
    "font-src 'self'", "connect-src 'self'", "frame-src 'self'", "object-src 'none'", "base-uri 'none'",
    "form-action 'self'", "frame-ancestors 'none'",
])
HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
}


def size_text(n: int) -> str:
    """1 MiB, 64 KiB, 512 bytes: how people read a limit."""
    for unit, factor in (("MiB", 1024 * 1024), ("KiB", 1024)):
        if n >= factor and n % factor == 0:
            return f"{n // factor} {unit}"
    return f"{n} bytes"


def _allow_uploads() -> None:
    if request.endpoint in UPLOAD_ENDPOINTS:
        request.max_content_length = current_app.config["UPLOAD_MAX_BYTES"]
    elif request.endpoint in SMALL_BODY_ENDPOINTS:
        request.max_content_length = current_app.config["FORM_MAX_BYTES"]


def _headers(response: Response) -> Response:
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    if current_app.config["BASE_URL"].startswith("https://"):
        response.headers.setdefault("Strict-Transport-Security", "max-age=31536000")
    return response


def _too_large(exc: Exception):
    limit = request.max_content_length or current_app.config.get("MAX_CONTENT_LENGTH") or 0
    if wants_json():
        return http_error_response(413, f"the request body is over the {size_text(limit)} limit")
    return page(413, _("Too large"), _("What you sent is over the %(limit)s this page accepts. Shorten the text "
                                       "(custom fields especially) or split the file, then try again.",
                                       limit=size_text(limit)))


def init_app(app: Flask) -> None:
    """Register before CSRFProtect: its check reads the form, which must already know an upload's bound."""
    app.before_request_funcs.setdefault(None, []).insert(0, _allow_uploads)
    app.after_request(_headers)
    app.register_error_handler(413, _too_large)
