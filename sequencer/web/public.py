"""Links inside emails: open pixel, click redirect, unsubscribe. No login; the signed token is the authority."""
from __future__ import annotations

import base64

from flask import Blueprint, Response, abort, current_app, redirect, render_template, request

from sequencer.extensions import csrf, db
from sequencer.mail import links
from sequencer.mail.tracking import record
from sequencer.models import Prospect, StepRun
from sequencer.people.suppression.rules import unsubscribe
from sequencer.platform import clock

bp = Blueprint("public", __name__)
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
    if record(db.session, "clicked", int(payload["r"]), clock.now(), url=target):
        db.session.commit()
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
    return render_template("web/people/unsubscribe.html", token=token, done=prospect.status.value in ("unsubscribed", "complained"),
                           email=prospect.email)


@bp.post("/u/<token>")
@csrf.exempt  # RFC 8058 one-click arrives without cookies; the signed token authorises it
def unsubscribe_post(token: str):
    prospect, run = _prospect_for(token)
    source = "one_click" if request.form.get("List-Unsubscribe") == "One-Click" else "page"
    unsubscribe(db.session, prospect, clock.now(), source, step_run=run)
    db.session.commit()
    return render_template("web/people/unsubscribe.html", token=token, done=True, email=prospect.email)
