"""The Inbound pages: every stored reply, bounce, auto-reply and unsubscribe, why it was read so, and reprocessing.

Admins and managers only: a message can concern any rep's prospect and its raw text can hold
anything. Reps read the replies to their own prospects inline on the prospect page instead
(`sequencer.web.timeline`). Only admins reprocess, because reprocessing applies effects again.
"""
from __future__ import annotations

import re
from datetime import datetime
from email.parser import BytesHeaderParser

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _, lazy_gettext
from sqlalchemy import Select, func, select
from sqlalchemy.orm import defer, joinedload

from sequencer.accounts.permissions import is_manager
from sequencer.extensions import db
from sequencer.inbound.parse import decoded_header
from sequencer.inbound.service import process
from sequencer.inbound.views import readable_text
from sequencer.models import Enrollment, Event, InboundMessage, Mailbox, Prospect, StepRun
from sequencer.models.inbound import InboundStatus
from sequencer.platform import clock
from sequencer.web import web_bp
from sequencer.web.access import ADMINS, MANAGERS, roles_required
from sequencer.web.listing import PER_PAGE, Listing, check_page, requested_page
from sequencer.web.stored_texts import said

CLASSIFICATIONS = {"reply": lazy_gettext("Replies"), "auto_reply": lazy_gettext("Auto-replies"),
                   "bounce": lazy_gettext("Bounces"), "unsubscribe": lazy_gettext("Unsubscribes"),
                   "unmatched": lazy_gettext("Unmatched")}
LABELS = {"reply": lazy_gettext("reply"), "auto_reply": lazy_gettext("auto-reply"), "bounce": lazy_gettext("bounce"),
          "unsubscribe": lazy_gettext("unsubscribe"), "unmatched": lazy_gettext("unmatched")}
ATTENTION = (InboundStatus.UNPARSED, InboundStatus.ERROR)
STATUSES = {"attention": (lazy_gettext("Needs attention"), ATTENTION),
            "processed": (lazy_gettext("Processed"), (InboundStatus.PROCESSED,)),
            "waiting": (lazy_gettext("Waiting"), (InboundStatus.RECEIVED, InboundStatus.PROCESSING)),
            "unparsed": (lazy_gettext("Unparsed"), (InboundStatus.UNPARSED,)),
            "error": (lazy_gettext("Error"), (InboundStatus.ERROR,))}
TONES = {"positive": lazy_gettext("positive"), "negative": lazy_gettext("negative"),
         "neutral": lazy_gettext("neutral"), "referral": lazy_gettext("referral")}
HEADERS = ("From", "To", "Date", "Message-ID", "In-Reply-To")
_BLANK_RUNS = re.compile(r"\n[ \t\r]*(\n[ \t\r]*){2,}")


def squeeze(text: str) -> str:
    """Runs of blank lines (HTML-only mail converted to text is full of them) shown as one blank line."""
    return _BLANK_RUNS.sub("\n\n", text.replace("\r\n", "\n")).strip("\n")


def attention_count(user) -> int:
    """The Inbound nav badge: messages nobody could read (unparsed) or that failed (error)."""
    if not user.is_authenticated or not is_manager(user):
        return 0
    return db.session.scalar(select(func.count(InboundMessage.id))
                             .where(InboundMessage.status.in_(ATTENTION))) or 0


@web_bp.app_template_filter("fromiso")
def from_iso(value: str | None) -> datetime | None:
    """Event payloads keep times as ISO strings; `|fromiso|localtime` shows them in the viewer's zone."""
    try:
        return datetime.fromisoformat(value) if value else None
    except (TypeError, ValueError):
        return None


@web_bp.app_template_filter("effect_text")
def effect_text(summary: str | None) -> str:
    """A stored effect summary (English, as the API returns it) in the reader's language, part by part."""
    return said(summary)


def _filters() -> dict[str, str]:
    """The known filter values from the query string; anything else means "all"."""
    kind, status = request.args.get("classification", ""), request.args.get("status", "")
    return {k: v for k, v in (("classification", kind if kind in CLASSIFICATIONS else ""),
                              ("status", status if status in STATUSES else "")) if v}


def _where(stmt: Select, filters: dict[str, str], classification: bool = True) -> Select:
    if "status" in filters:
        stmt = stmt.where(InboundMessage.status.in_(STATUSES[filters["status"]][1]))
    if classification and "classification" in filters:
        stmt = stmt.where(InboundMessage.classification == filters["classification"])
    return stmt


@web_bp.route("/inbound")
@roles_required(*MANAGERS)
def inbound():
    filters = _filters()
    page = requested_page()
    counts = dict(db.session.execute(_where(
        select(InboundMessage.classification, func.count(InboundMessage.id))
        .group_by(InboundMessage.classification), filters, classification=False)).all())
    total = counts.get(filters["classification"], 0) if "classification" in filters else sum(counts.values())
    check_page(page, total, PER_PAGE)
    rows = db.session.execute(_where(
        select(InboundMessage, Prospect).outerjoin(Prospect, Prospect.id == InboundMessage.prospect_id)
        .options(defer(InboundMessage.raw)), filters)
        .order_by(InboundMessage.received_at.desc(), InboundMessage.id.desc())
        .limit(PER_PAGE).offset((page - 1) * PER_PAGE)).all()
    return render_template("web/inbound/inbound.html", rows=rows, listing=Listing(list(rows), total, page, PER_PAGE),
                           filters=filters,
                           counts=counts, all_count=sum(counts.values()), classifications=CLASSIFICATIONS,
                           statuses={k: v[0] for k, v in STATUSES.items()})


def _headers(raw: bytes) -> dict[str, str]:
    """The few headers worth showing; a header-only parse, so a huge body costs nothing here."""
    try:
        msg = BytesHeaderParser().parsebytes(raw[:256 * 1024])
    except Exception:  # noqa: BLE001 - the stored bytes may be anything; the page must still open
        return {}
    return {name: value for name in HEADERS if (value := decoded_header(msg, name))}


@web_bp.route("/inbound/<int:message_id>")
@roles_required(*MANAGERS)
def inbound_detail(message_id: int):
    row = db.session.get(InboundMessage, message_id) or abort(404, _("No such inbound message."))
    prospect = db.session.get(Prospect, row.prospect_id) if row.prospect_id else None
    enrollment = db.session.scalar(select(Enrollment).where(Enrollment.id == row.enrollment_id).options(
        joinedload(Enrollment.sequence))) if row.enrollment_id else None
    run = db.session.get(StepRun, row.step_run_id) if row.step_run_id else None
    mailbox = db.session.get(Mailbox, row.mailbox_id) if row.mailbox_id else None
    events = db.session.scalars(select(Event).where(Event.inbound_message_id == row.id)
                                .order_by(Event.occurred_at, Event.id)).all()
    return render_template("web/inbound/inbound_detail.html", m=row, detail=row.detail or {}, prospect=prospect,
                           enrollment=enrollment, run=run, mailbox=mailbox, events=events,
                           headers=_headers(row.raw), text=squeeze(readable_text(row)))


def outcome_message(result, sentiment: str | None) -> tuple[str, str]:
    """What the flash says after reprocessing, and its category."""
    if result.duplicate:
        return _("A worker is processing this message right now; try again in a few minutes."), "error"
    if result.status == InboundStatus.ERROR.value:
        return _("Reprocessing failed again; the error is shown below."), "error"
    if result.status == InboundStatus.UNPARSED.value:
        return _("Reprocessed: still unparsed (no recognisable header block)."), "error"
    label = str(LABELS.get(result.classification or "", result.classification or _("unclassified")))
    tone = f" ({TONES.get(sentiment, sentiment)})" if result.classification == "reply" and sentiment else ""
    return _("Reprocessed: classified as %(label)s.", label=label + tone), "success"


@web_bp.post("/inbound/<int:message_id>/reprocess")
@roles_required(*ADMINS)
def inbound_reprocess(message_id: int):
    """Runs the rules again on the stored bytes (after a fix, or on an error row); htmx gets a redirect header."""
    row = db.session.get(InboundMessage, message_id) or abort(404, _("No such inbound message."))
    result = process(db.session, row, clock.now(), force=True)
    flash(*outcome_message(result, row.sentiment))
    target = url_for("web.inbound_detail", message_id=row.id)
    if request.headers.get("HX-Request"):
        return "", 204, {"HX-Redirect": target}
    return redirect(target)
