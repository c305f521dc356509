"""The reports overview: funnel numbers per sequence and per step/variant, from the append-only events table."""
from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import case, distinct, func, select
from sqlalchemy.orm import Session

from sequencer.models import Enrollment, Event, Sequence, Step, Variant
from sequencer.reports.scope import Scope

# a soft-bounce retry re-sends the same step run: count step runs, and events that have none one by one
_run_or_event = func.coalesce(Event.step_run_id, -Event.id)
KINDS = ("sent", "opened", "replied", "meeting_booked", "bounced", "unsubscribed")


@dataclass
class SequenceRow:
    id: int
    name: str
    status: str
    enrolled: int = 0
    counts: dict[str, int] = field(default_factory=dict)

    def rate(self, kind: str) -> str:
        sent = self.counts.get("sent", 0)
        return f"{100 * self.counts.get(kind, 0) / sent:.0f}%" if sent else ""


def sequence_funnels(session: Session, scope: Scope = Scope()) -> list[SequenceRow]:
    """One GROUP BY over events (sequence × kind) and one over enrolments, within `scope`; a narrowed scope
    leaves out the sequences with nothing in it."""
    rows = {s.id: SequenceRow(s.id, s.name, s.status.value) for s in
            session.execute(select(Sequence.id, Sequence.name, Sequence.status).order_by(Sequence.name))}
    stmt = scope.events(select(Event.sequence_id, Event.kind, func.count()).where(Event.kind.in_(KINDS))
                        .group_by(Event.sequence_id, Event.kind))
    for sid, kind, n in session.execute(stmt):
        if sid in rows:
            rows[sid].counts[kind] = n
    sent = scope.events(select(Event.sequence_id, func.count(distinct(_run_or_event))).where(Event.kind == "sent")
                        .group_by(Event.sequence_id))  # a soft-bounce retry re-sends the same step run: count it once
    for sid, n in session.execute(sent):
        if sid in rows:
            rows[sid].counts["sent"] = n
    enrolled = scope.rows(select(Enrollment.sequence_id, func.count()).group_by(Enrollment.sequence_id),
                          Enrollment.created_at, Enrollment.prospect_id)
    for sid, n in session.execute(enrolled):
        if sid in rows:
            rows[sid].enrolled = n
    return [r for r in rows.values() if not scope.narrowed or r.enrolled or r.counts]


def variant_breakdown(session: Session, scope: Scope = Scope()) -> list[dict]:
    """Sent and replied per (step, variant), with names resolved in the same query."""
    sent = func.count(distinct(case((Event.kind == "sent", _run_or_event))))
    replied = func.count(distinct(case((Event.kind == "replied", _run_or_event))))
    stmt = (
        select(Sequence.name, Step.sequence_id, Step.position, Step.type, Variant.label,
               sent.label("sent"), replied.label("replied"))
        .select_from(Event)
        .join(Step, Step.id == Event.step_id)
        .join(Sequence, Sequence.id == Step.sequence_id)
        .outerjoin(Variant, Variant.id == Event.variant_id)
        .where(Event.kind.in_(("sent", "replied")))
        .group_by(Sequence.name, Step.sequence_id, Step.position, Step.type, Variant.label)
        .order_by(Sequence.name, Step.position, Variant.label)
    )
    return [dict(r._mapping) for r in session.execute(scope.events(stmt))]
