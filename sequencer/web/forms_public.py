"""The public doors of website forms: the hosted page, the submission POST (form-encoded or JSON, from the
hosted page, the embed script or a plain HTML form), the embed script, and the double opt-in link.

The POST only checks and stores; the worker does the rest. CORS answers only the form's allowed sites.
"""
from __future__ import annotations

import contextlib
import logging

import redis
from flask import Blueprint, Response, abort, current_app, jsonify, redirect, render_template, request, url_for
from flask_babel import force_locale, gettext as _
from limits.errors import StorageError
from limits.storage import MemoryStorage
from limits.strategies import FixedWindowRateLimiter

from sequencer.accounts.throttle import parse_limit, redis_storage
from sequencer.errors import Conflict, Invalid, NotFound
from sequencer.extensions import csrf, db, redis_store
from sequencer.forms import definitions, intake, optin, queueing, spam
from sequencer.models import Form
from sequencer.platform import clock, i18n
from sequencer.web.hardening import size_text
from sequencer.web.locale import say

bp = Blueprint("forms_public", __name__)
log = logging.getLogger(__name__)
_LOCAL = FixedWindowRateLimiter(MemoryStorage())


def _form(key: str) -> Form:
    try:
        return definitions.by_key(db.session, key)
    except NotFound:
        abort(404)


def _json_wanted() -> bool:
    return request.is_json or "application/json" in request.headers.get("Accept", "")


def _own_origin() -> str:
    return definitions.origin_of(current_app.config["BASE_URL"]) or ""


def _origin_ok(form: Form) -> bool:
    """No Origin (curl, old browsers), our own, or one the manager listed."""
    origin = request.headers.get("Origin")
    return not origin or origin in (_own_origin(), request.host_url.rstrip("/")) or origin in form.allowed_origins


def _cors(response: Response, form: Form | None) -> Response:
    origin = request.headers.get("Origin")
    if form is not None and origin and origin in form.allowed_origins:
        response.headers["Access-Control-Allow-Origin"] = origin
        response.headers["Access-Control-Allow-Methods"] = "GET, POST"
        response.headers["Access-Control-Allow-Headers"] = "Content-Type, Accept"
        response.headers["Access-Control-Max-Age"] = "600"
    response.headers.add("Vary", "Origin")
    return response


def _throttled(form: Form) -> bool:
    """Per client address and per form, counted in Redis (in this process when Redis is down)."""
    checks = [(parse_limit(current_app.config["FORM_IP_RATE_LIMIT"]), "ip", request.remote_addr or "-"),
              (parse_limit(current_app.config["FORM_RATE_LIMIT"]), "form", form.key)]
    try:
        limiter = FixedWindowRateLimiter(redis_storage(redis_store.connection(current_app)))
        hits = [limiter.hit(item, "form_post", kind, value) for item, kind, value in checks]  # count every limit
    except (StorageError, redis.RedisError, OSError):
        hits = [_LOCAL.hit(item, "form_post", kind, value) for item, kind, value in checks]
    return not all(hits)


def _window():
    try:
        return queueing.claim_window(redis_store.connection(current_app))
    except (redis.RedisError, OSError):
        return None


def _lang() -> str | None:
    """`?lang=lt` on a public form page (a link from a Lithuanian site); else the browser's Accept-Language."""
    return i18n.supported(request.args.get("lang"))


def _speaking():
    lang = _lang()
    return force_locale(lang) if lang else contextlib.nullcontext()


def _labels(form: Form) -> dict[str, str]:
    """Standard fields the manager left with their default label speak the visitor's language."""
    return {f["name"]: say(definitions.DEFAULT_LABELS[f["maps_to"]]) for f in form.fields
            if f.get("maps_to") in definitions.DEFAULT_LABELS and f["label"] == definitions.DEFAULT_LABELS[f["maps_to"]]}


def _hosted(form: Form, status: int = 200, errors: dict | None = None, values: dict | None = None):
    token = spam.timing_token(current_app.config["SECRET_KEY"], form.id, clock.now())
    with _speaking():
        return render_template("web/forms/hosted.html", form=form, token=token, errors=errors or {},
                               values=values or {}, labels=_labels(form), lang=_lang()), status


@bp.get("/f/<key>", provide_automatic_options=False)
def hosted(key: str):
    return _hosted(_form(key))


@bp.get("/f/<key>/thanks")
def thanks(key: str):
    form = _form(key)
    with _speaking():
        return render_template("web/forms/thanks.html", form=form)


@bp.get("/f/<key>/definition.json")
def definition(key: str):
    """What the embed script draws: the fields, texts and a fresh timing token."""
    form = _form(key)
    body: dict[str, object] = {"key": form.key, "name": form.name, "kind": form.kind, "fields": form.fields,
            "consent_text": form.consent_text, "thank_you": form.thank_you, "redirect_url": form.redirect_url,
            "action": url_for("forms_public.submit", key=form.key, lang=_lang(), _external=True),
            "t": spam.timing_token(current_app.config["SECRET_KEY"], form.id, clock.now())}
    with _speaking():
        body["texts"] = _embed_texts()
        body["fields"] = [{**f, "label": _labels(form).get(f["name"], f["label"])} for f in form.fields]
    response = jsonify(body)
    response.headers["Cache-Control"] = "no-store"
    return _cors(response, form)


@bp.route("/f/<key>", methods=["OPTIONS"])
@csrf.exempt
def preflight(key: str):
    return _cors(Response(status=204), _form(key))


def _embed_texts() -> dict[str, str]:
    """What the embed script says itself, in the visitor's language (it runs on other sites, without our catalogue)."""
    return {"send": _("Send"), "sending": _("Sending…"), "thanks": _("Thank you! We will be in touch shortly."),
            "failed": _("Something went wrong."), "offline": _("Could not send the form; please try again.")}


def _refused(form: Form, exc: Invalid, raw: dict):
    if _json_wanted():
        with _speaking():  # the embed shows these to the visitor (English unless the browser asks otherwise)
            details = [{**d, "message": say(d["message"])} for d in exc.details]
            body = {"error": {"code": "validation_error", "message": say(exc.message), "details": details}}
        return _cors(jsonify(body), form), 422
    return _hosted(form, 422, {d["field"]: d["message"] for d in exc.details}, raw)


def _received(form: Form):
    if _json_wanted():
        return _cors(jsonify({"status": "received"}), form)
    return redirect(form.redirect_url or url_for("forms_public.thanks", key=form.key, lang=_lang()), code=303)


@bp.post("/f/<key>", provide_automatic_options=False)
@csrf.exempt  # posted from other sites by design; the form key, CORS and the spam defences guard it
def submit(key: str):
    form = _form(key)
    if not _origin_ok(form):
        return _cors(jsonify({"error": {"code": "forbidden", "message": "this site may not post to the form"}}), form), 403
    if _throttled(form):
        body = {"error": {"code": "rate_limited", "message": "too many submissions; try again in a minute"}}
        return _cors(jsonify(body), form), 429, {"Retry-After": "60"}
    raw = request.get_json(silent=True) if request.is_json else request.form.to_dict()
    if not isinstance(raw, dict):
        return _refused(form, Invalid.field("", "the body must be a JSON object"), {})
    meta = intake.Meta(request.remote_addr, request.headers.get("User-Agent"), request.headers.get("Referer"))
    try:
        outcome = intake.receive(db.session, form, raw, meta, clock.now(), current_app.config["SECRET_KEY"],
                                 claim_window=_window(), min_fill_seconds=current_app.config["FORM_MIN_FILL_SECONDS"])
    except Invalid as exc:
        db.session.rollback()
        return _refused(form, exc, {k: v for k, v in raw.items() if isinstance(v, str)})
    db.session.commit()
    if outcome.submission is not None and not outcome.duplicate:
        try:
            queueing.kick(redis_store.connection(current_app))
        except (redis.RedisError, OSError):  # stored: the periodic resume picks it up
            log.warning("form submission %s stored but not enqueued", outcome.submission.id, exc_info=True)
    return _received(form)


@bp.errorhandler(413)
def _too_large(exc: Exception):
    size = size_text(current_app.config["FORM_MAX_BYTES"])
    if _json_wanted():
        return jsonify({"error": {"code": "too_large", "message": f"the submission is over the {size} limit"}}), 413
    with _speaking():
        return render_template("web/error.html", status=413, title=_("Too large"),
                               message=_("the submission is over the %(size)s limit", size=size)), 413


@bp.get("/f/embed.js")
def embed_script():
    response = current_app.send_static_file("forms_embed.js")
    response.headers["Cache-Control"] = "public, max-age=3600"
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


@bp.get("/f/confirm/<token>")
def confirm_page(token: str):
    """GET changes nothing (mail scanners open links); the button posts."""
    with _speaking():
        return render_template("web/forms/confirm.html", token=token, done=False, problem=None)


@bp.post("/f/confirm/<token>")
def confirm(token: str):
    try:
        submission = optin.confirm(db.session, current_app.config["SECRET_KEY"], token, request.remote_addr,
                                   clock.now())
    except NotFound:
        abort(404)
    except Conflict as exc:
        db.session.rollback()
        with _speaking():
            return render_template("web/forms/confirm.html", token=token, done=False, problem=exc.message), 409
    db.session.commit()
    try:
        queueing.enqueue(redis_store.connection(current_app), submission.id)
    except (redis.RedisError, OSError):
        log.warning("confirmed submission %s not enqueued", submission.id, exc_info=True)
    with _speaking():
        return render_template("web/forms/confirm.html", token=token, done=True, problem=None)
