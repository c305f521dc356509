"""Prospect search (filters + pagination done in SQL) and the prospect page with its history."""
from __future__ import annotations

from dataclasses import dataclass

from flask import abort, render_template, request
from flask_login import login_required
from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import joinedload, selectinload

from sequencer import clock
from sequencer.extensions import db
from sequencer.models import (
    Company, Enrollment, Event, Persona, Prospect, ProspectStatus, Sequence, StepRun, User,
)
from sequencer.web import web_bp
from sequencer.web.pages import zone

PER_PAGE = 50


@dataclass
class ProspectFilters:
    q: str = ""
    persona: str = ""
    status: str = ""
    country: str = ""
    owner: str = ""

    @classmethod
    def from_args(cls, args) -> ProspectFilters:
        return cls(**{f: (args.get(f) or "").strip() for f in cls.__dataclass_fields__})

    def apply(self, stmt: Select) -> Select:
        if self.q:
            like = f"%{self.q.lower()}%"
            full_name = func.lower(Prospect.first_name + " " + Prospect.last_name)
            stmt = stmt.where(or_(full_name.like(like), Prospect.email_normalized.like(like),
                                  func.lower(Company.name).like(like)))
        if self.persona:
            stmt = stmt.where(Persona.key == self.persona)
        if self.status in {s.value for s in ProspectStatus}:
            stmt = stmt.where(Prospect.status == ProspectStatus(self.status))
        if self.country:
            stmt = stmt.where(Prospect.country == self.country.upper())
        if self.owner.isdigit():
            stmt = stmt.where(Prospect.owner_id == int(self.owner))
        return stmt

    def args(self, **changes) -> dict:
        out = {k: v for k, v in vars(self).items() if v}
        out.update(changes)
        return out


def search_prospects(filters: ProspectFilters, page: int) -> tuple[list[Prospect], int]:
    """One page of matching prospects and the total count (two queries, whatever the page size)."""
    base = (select(Prospect).outerjoin(Company, Prospect.company_id == Company.id)
            .outerjoin(Persona, Prospect.persona_id == Persona.id))
    base = filters.apply(base)
    total = db.session.scalar(select(func.count()).select_from(base.with_only_columns(Prospect.id).subquery()))
    rows = db.session.scalars(
        base.options(joinedload(Prospect.company), joinedload(Prospect.persona), joinedload(Prospect.owner))
        .order_by(Prospect.last_name, Prospect.first_name, Prospect.id)
        .limit(PER_PAGE).offset((page - 1) * PER_PAGE)
    ).unique().all()
    return list(rows), total or 0


def filter_choices() -> dict:
    return {
        "personas": db.session.scalars(select(Persona).order_by(Persona.name)).all(),
        "owners": db.session.scalars(select(User).order_by(User.name)).all(),
        "countries": [c for c in db.session.scalars(
            select(Prospect.country).where(Prospect.country.is_not(None)).distinct().order_by(Prospect.country))],
        "statuses": list(ProspectStatus),
    }


@web_bp.route("/prospects")
@login_required
def prospects():
    filters = ProspectFilters.from_args(request.args)
    page = max(request.args.get("page", 1, type=int) or 1, 1)
    rows, total = search_prospects(filters, page)
    pages = max((total + PER_PAGE - 1) // PER_PAGE, 1)
    return render_template("web/prospects.html", prospects=rows, total=total, page=page, pages=pages,
                           filters=filters, per_page=PER_PAGE, **filter_choices())


def prospect_history(prospect_id: int) -> tuple[list[Enrollment], list[Event]]:
    enrollments = db.session.scalars(
        select(Enrollment).where(Enrollment.prospect_id == prospect_id)
        .options(joinedload(Enrollment.sequence).selectinload(Sequence.steps),
                 selectinload(Enrollment.step_runs).joinedload(StepRun.step),
                 joinedload(Enrollment.mailbox))
        .order_by(Enrollment.created_at.desc())
    ).unique().all()
    events = db.session.scalars(
        select(Event).where(Event.prospect_id == prospect_id)
        .order_by(Event.occurred_at.desc(), Event.id.desc()).limit(200)
    ).all()
    return list(enrollments), list(events)


@web_bp.route("/prospects/<int:prospect_id>")
@login_required
def prospect_detail(prospect_id: int):
    prospect = db.session.scalars(
        select(Prospect).where(Prospect.id == prospect_id)
        .options(joinedload(Prospect.company), joinedload(Prospect.persona), joinedload(Prospect.owner))
    ).first()
    if prospect is None:
        abort(404, "No such prospect.")
    enrollments, events = prospect_history(prospect.id)
    step_names = {s.id: s for e in enrollments for s in e.sequence.steps}
    seq_ids = {e.sequence_id for e in events if e.sequence_id}
    seq_names = dict(db.session.execute(
        select(Sequence.id, Sequence.name).where(Sequence.id.in_(seq_ids))).all()) if seq_ids else {}
    local_now = clock.now().astimezone(zone(prospect.timezone)) if prospect.timezone else None
    return render_template("web/prospect_detail.html", p=prospect, enrollments=enrollments, events=events,
                           local_now=local_now, steps=step_names, seq_names=seq_names)
