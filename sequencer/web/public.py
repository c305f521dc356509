"""Links inside emails: open pixel, click redirect, unsubscribe. No login; the signed token is the authority."""
from __future__ import annotations

import base64
import json

import redis
from flask import Blueprint, Response, abort, current_app, redirect, render_template, request
from flask_babel import force_locale
from limits.errors import StorageError
from limits.storage import MemoryStorage
from limits.strategies import FixedWindowRateLimiter

from sequencer.accounts.throttle import parse_limit, redis_storage
from sequencer.extensions import csrf, db, redis_store
from sequencer.mail import links
from sequencer.mail.footer import prospect_locale
from sequencer.mail.tracking import record, record_one_off
from sequencer.models import Prospect, StepRun
from sequencer.people.suppression.rules import unsubscribe
from sequencer.platform import clock
from sequencer.scoring import visitor

bp = Blueprint("public", __name__)
_LOCAL_BEACONS = FixedWindowRateLimiter(MemoryStorage())
PIXEL = base64.b64decode("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7")


def _secret() -> str:
    return current_app.config["SECRET_KEY"]


@bp.get("/t/o/<token>")
def open_pixel(token: str):
    payload = links.verify(_secret(), links.OPEN, token)
    if payload and record(db.session, "opened", int(payload["r"]), clock.now(),
                          user_agent=request.headers.get("User-Agent", "")[:200]):
        db.session.commit()
    response = Response(PIXEL, mimetype="image/gif")  # a pixel either way: never tell a scanner anything
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/t/c/<token>")
def click(token: str):
    payload = links.verify(_secret(), links.CLICK, token)
    target = payload.get("u") if payload else None
    if payload is None or not isinstance(target, str) or not target.startswith(("https://", "http://")):
        abort(404)
    if "o" in payload:  # a one-off email's link
        prospect_id = record_one_off(db.session, "clicked", int(payload["o"]), clock.now(), url=target)
        db.session.commit()
        return redirect(visitor.decorate(db.session, _secret(), target, prospect_id), code=302)
    if record(db.session, "clicked", int(payload["r"]), clock.now(), url=target):
        db.session.commit()
    run = db.session.get(StepRun, int(payload["r"]))
    target = visitor.decorate(db.session, _secret(), target, run.enrollment.prospect_id if run else None)
    return redirect(target, code=302)


def _prospect_for(token: str) -> tuple[Prospect, StepRun | None]:
    payload = links.verify(_secret(), links.UNSUBSCRIBE, token)
    prospect = db.session.get(Prospect, int(payload["p"])) if payload else None
    if payload is None or prospect is None:
        abort(404)
    run = db.session.get(StepRun, int(payload["r"])) if payload.get("r") else None
    return prospect, run


@bp.get("/u/<token>")
def unsubscribe_page(token: str):
    """A confirmation page: mail scanners fetch GET links, so GET alone changes nothing."""
    prospect, _ = _prospect_for(token)
    return _unsubscribe_page(prospect, token, prospect.status.value in ("unsubscribed", "complained"))


@bp.post("/u/<token>")
@csrf.exempt  # RFC 8058 one-click arrives without cookies; the signed token authorises it
def unsubscribe_post(token: str):
    prospect, run = _prospect_for(token)
    source = "one_click" if request.form.get("List-Unsubscribe") == "One-Click" else "page"
    unsubscribe(db.session, prospect, clock.now(), source, step_run=run)
    db.session.commit()
    return _unsubscribe_page(prospect, token, True)


def _unsubscribe_page(prospect: Prospect, token: str, done: bool) -> str:
    """In the prospect's language (the one the email's footer spoke), not the browser's."""
    with force_locale(prospect_locale(db.session, prospect)):
        return render_template("web/people/unsubscribe.html", token=token, done=done, email=prospect.email)


@bp.get("/t/s.js")
def site_snippet():
    """The website snippet (static); customers embed it with `data-site` on their own pages."""
    response = current_app.send_static_file("s.js")
    response.headers["Cache-Control"] = "public, max-age=3600"
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


def _beacon_allowed() -> bool:
    """One browser views a few pages a minute; more from one address is a script (counted in Redis, else here)."""
    limit = parse_limit(current_app.config.get("PAGE_VIEW_RATE_LIMIT", "300 per minute"))
    address = request.remote_addr or "-"
    try:
        shared = FixedWindowRateLimiter(redis_storage(redis_store.connection(current_app)))
        return shared.hit(limit, "page_view", address)
    except (StorageError, redis.RedisError, OSError):
        return _LOCAL_BEACONS.hit(limit, "page_view", address)


@bp.post("/t/pv")
@csrf.exempt  # a beacon from the customer's site; the signed visitor token is the only authority
def site_page_view():
    """A page view from the snippet: stored only for a token we signed, on a listed site, tracking on, no DNT/GPC."""
    if request.headers.get("DNT") == "1" or request.headers.get("Sec-GPC") == "1":
        return Response(status=204)
    if not _beacon_allowed():
        return Response(status=429, headers={"Retry-After": "60"})
    try:
        body = json.loads(request.get_data(cache=False, as_text=True)[:4000] or "{}")
    except ValueError:
        body = None
    if not isinstance(body, dict) or not visitor.page_view(db.session, _secret(), body.get("token"), body.get("url"),
                                                           body.get("title"), clock.now()):
        db.session.rollback()
        return Response(status=400)
    db.session.commit()
    return Response(status=204)
