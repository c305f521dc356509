"""Sequences list and detail: structure plus counts aggregated in SQL (no per-row queries)."""
from __future__ import annotations

from babel import Locale
from flask import abort, render_template, request
from flask_login import login_required
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from sequencer.extensions import db
from sequencer.models import Enrollment, EnrollmentStatus, Event, Sequence, Step
from sequencer.outreach.roster import SORTS, TIEBREAK, RosterFilters, roster_query
from sequencer.platform.i18n import weekday_names
from sequencer.web import builder_form as bf, web_bp
from sequencer.web.listing import listed
from sequencer.web.locale import current


@web_bp.app_template_filter("day_name")
def day_name(day: str) -> str:
    """`mon` → "Mon" (English, as before) or the reader's own abbreviation."""
    if day not in bf.DAYS:
        return day.capitalize()
    return weekday_names(current())[bf.DAYS.index(day)]


@web_bp.app_template_filter("country_name")
def country_name(code: str, english: str) -> str:
    """A holiday calendar's country in the reader's language (English keeps our own names)."""
    locale = current()
    if locale == "en":
        return english
    return Locale.parse(locale).territories.get(code, english)


web_bp.add_app_template_filter(bf.field_label, "field_label")


def enrollment_counts(sequence_id: int | None = None) -> dict:
    """{(sequence_id, status): n} from one GROUP BY."""
    stmt = select(Enrollment.sequence_id, Enrollment.status, func.count()).group_by(
        Enrollment.sequence_id, Enrollment.status)
    if sequence_id is not None:
        stmt = stmt.where(Enrollment.sequence_id == sequence_id)
    return {(sid, status): n for sid, status, n in db.session.execute(stmt)}


def sent_counts() -> dict[int | None, int]:
    stmt = (select(Event.sequence_id, func.count()).where(Event.kind == "sent")
            .group_by(Event.sequence_id))
    return dict(db.session.execute(stmt).all())


@web_bp.route("/sequences")
@login_required
def sequences():
    rows = db.session.scalars(
        select(Sequence).options(selectinload(Sequence.steps)).order_by(Sequence.name)
    ).all()
    counts = enrollment_counts()
    active = {sid: n for (sid, status), n in counts.items() if status == EnrollmentStatus.ACTIVE}
    return render_template("web/sequences/sequences.html", sequences=rows, active=active, sent=sent_counts())


@web_bp.route("/sequences/<int:sequence_id>")
@login_required
def sequence_detail(sequence_id: int):
    seq = db.session.scalars(
        select(Sequence).where(Sequence.id == sequence_id)
        .options(selectinload(Sequence.steps).selectinload(Step.variants))
    ).first()
    if seq is None:
        abort(404, "No such sequence.")
    counts = {status: n for (_, status), n in enrollment_counts(seq.id).items()}
    by_status = [(status, counts.get(status, 0)) for status in EnrollmentStatus]
    filters = RosterFilters(status=request.args.get("status") or "", q=request.args.get("q") or "")
    roster = listed(db.session, roster_query(seq.id, filters), sorts=SORTS, default_sort="name", tiebreak=TIEBREAK,
                    entities=False)
    args = dict(filters.args(), sequence_id=seq.id, **({"sort": roster.sort.token} if roster.sort else {}))
    return render_template("web/sequences/sequence_detail.html", seq=seq, by_status=by_status,
                           total=sum(counts.values()), roster=roster, filters=filters, roster_args=args,
                           statuses=list(EnrollmentStatus))
