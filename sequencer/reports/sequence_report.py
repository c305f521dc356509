"""The whole sequence report as plain data: the API returns it, the page and the CSV exports read it."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from sequencer.models import Sequence
from sequencer.reports.comparison import Arm, Holdout, StepComparison, compare, holdouts
from sequencer.reports.funnel import FunnelStep, Week, funnel, weekly


@dataclass
class SequenceReport:
    sequence: Sequence
    steps: list[StepComparison]
    funnel: list[FunnelStep]
    weeks: list[Week]
    holdouts: list[Holdout]


def build(session: Session, sequence: Sequence) -> SequenceReport:
    return SequenceReport(sequence, compare(session, sequence), funnel(session, sequence), weekly(session, sequence),
                          holdouts(session, sequence))


def _r(x: float | None) -> float | None:
    return None if x is None else round(x, 4)


def arm_json(arm: Arm) -> dict:
    c = arm.counts
    low, high = c.interval("replied")
    m_low, m_high = c.interval("meetings")
    return {"id": arm.variant_id, "label": arm.label, "active": arm.active, "promoted": arm.promoted,
            "sent": c.sent, "opened": c.opened, "clicked": c.clicked, "replied": c.replied,
            "positive_replies": c.positive, "meetings": c.meetings,
            "reply_rate": _r(c.rate("replied")), "ci_low": _r(low), "ci_high": _r(high),
            "open_rate": _r(c.rate("opened")), "click_rate": _r(c.rate("clicked")),
            "positive_reply_rate": _r(c.rate("positive")), "meeting_rate": _r(c.rate("meetings")),
            "meeting_ci_low": _r(m_low), "meeting_ci_high": _r(m_high), "prob_best": _r(arm.prob_best)}


def to_json(report: SequenceReport) -> dict:
    """The API shape: the contract's fields first, then the extensions (documented in the OpenAPI schema)."""
    funnel_by_pos = {f.position: f for f in report.funnel}
    steps = []
    for s in report.steps:
        c, f = s.totals, funnel_by_pos.get(s.position)
        steps.append({
            "position": s.position, "type": s.type, "sent": c.sent, "opened": c.opened, "clicked": c.clicked,
            "replied": c.replied, "bounced": c.bounced, "unsubscribed": c.unsubscribed, "meetings": c.meetings,
            "tasks_done": c.tasks_done, "variants": [arm_json(a) for a in s.arms],
            "step_id": s.step_id, "positive_replies": c.positive, "reached": f.reached if f else 0,
            "held_out": f.held_out if f else 0, "exited": f.exited if f else {},
            "primary_metric": s.primary_metric, "min_sample": s.min_sample, "ready": s.ready,
            "auto_promote": s.auto_promote, "holdout_pct": s.holdout_pct,
            "stratify_by_persona": s.stratify_by_persona,
            "personas": [{"persona": p.persona, "ready": p.ready, "variants": [arm_json(a) for a in p.arms]}
                         for p in s.personas],
            "decisions": [{"kind": d.kind, "variant_id": d.variant_id, "user_id": d.user_id, "metric": d.metric,
                           "numbers": d.numbers, "decided_at": d.decided_at.isoformat()} for d in s.decisions],
        })
    return {"steps": steps,
            "weekly": [{"week": w.start.isoformat(), "sent": w.sent, "replied": w.replied, "meetings": w.meetings,
                        "reply_rate": _r(w.rate("replied")), "meeting_rate": _r(w.rate("meetings"))}
                       for w in report.weeks],
            "holdouts": [vars(h) for h in report.holdouts]}
