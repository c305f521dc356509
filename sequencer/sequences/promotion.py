"""Ending an A/B test: a manager declares the winner, or auto-promotion does when the evidence is strong.

Either way the winner keeps being assigned and every other variant stops (`active = False`): runs
already assigned keep their variant. The decision is stored with the numbers seen at that moment.
"""
from __future__ import annotations

from dataclasses import asdict
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from sequencer.errors import Conflict, Invalid
from sequencer.models import ExperimentDecision, Sequence, SequenceStatus, Step, Variant
from sequencer.reports.comparison import METRICS, StepComparison, compare
from sequencer.texts import tr

AUTO_THRESHOLD = 0.95


def _numbers(comp: StepComparison) -> dict:
    return {"metric": comp.primary_metric, "min_sample": comp.min_sample,
            "variants": [{"label": a.label, **asdict(a.counts), "prob_best": round(a.prob_best or 0, 4)}
                         for a in comp.arms]}


def _promote(session: Session, step: Step, winner: Variant, comp: StepComparison, kind: str, now: datetime,
             user_id: int | None) -> ExperimentDecision:
    for variant in step.variants:
        variant.active = variant.id == winner.id
        variant.promoted_at = now if variant.id == winner.id else None
    decision = ExperimentDecision(step_id=step.id, variant_id=winner.id, kind=kind, user_id=user_id,
                                  metric=comp.primary_metric, numbers=_numbers(comp), decided_at=now)
    session.add(decision)
    session.flush()
    return decision


def _comparison(session: Session, step: Step) -> StepComparison:
    return next(c for c in compare(session, step.sequence) if c.step_id == step.id)


def sample_summary(comp: StepComparison) -> str:
    """"A 3 sent, B 3 sent (minimum 100 each)": what a manager sees before ending a test."""
    sent = ", ".join(f"{a.label} {a.counts.sent} sent" for a in comp.arms if a.active)
    return f"{sent} (minimum {comp.min_sample} each)"


def declare_winner(session: Session, step: Step, variant_id: int, user_id: int | None, now: datetime,
                   override: bool = False) -> ExperimentDecision:
    """A manager's call; below the minimum sample only with an explicit `override` (stored with the numbers)."""
    winner = next((v for v in step.variants if v.id == variant_id), None)
    if winner is None:
        raise Invalid.field("variant_id", tr("not a variant of this step"))
    comp = _comparison(session, step)
    if not comp.ready and not override:
        raise Conflict(tr("below the minimum sample: %(sample)s; declare anyway only with the override",
                          sample=sample_summary(comp)))
    decision = _promote(session, step, winner, comp, "declared", now, user_id)
    decision.numbers = {**decision.numbers, "overridden": not comp.ready}
    return decision


def auto_promote(session: Session, now: datetime) -> list[ExperimentDecision]:
    """Promote, on steps that opted in and are still undecided, a variant with P(best) ≥ 95% once all have the sample."""
    steps = session.scalars(select(Step).join(Sequence).where(
        Step.auto_promote.is_(True), Sequence.status == SequenceStatus.ACTIVE)
        .options(selectinload(Step.variants))).all()
    decided = []
    for seq in {s.sequence for s in steps}:
        for comp in compare(session, seq):
            step = next((s for s in steps if s.id == comp.step_id), None)
            if step is None or not comp.is_experiment or any(v.promoted_at for v in step.variants):
                continue
            live = [a for a in comp.arms if a.active]
            leader = comp.leader
            if len(live) < 2 or not comp.ready or leader is None or leader.prob_best is None \
                    or leader.prob_best < AUTO_THRESHOLD:
                continue
            winner = next(v for v in step.variants if v.id == leader.variant_id)
            decided.append(_promote(session, step, winner, comp, "auto", now, None))
    return decided


def update_settings(session: Session, step: Step, data: dict) -> Step:
    """Primary metric, minimum sample, auto-promotion, stratification and holdout share (validated here)."""
    details = []
    if "primary_metric" in data and data["primary_metric"] not in METRICS:
        details.append({"field": "primary_metric", "message": tr("one of %(values)s", values=", ".join(METRICS))})
    if "min_sample" in data and not (isinstance(data["min_sample"], int) and 10 <= data["min_sample"] <= 100000):
        details.append({"field": "min_sample", "message": tr("a whole number from 10 to 100000")})
    if "holdout_pct" in data and not (isinstance(data["holdout_pct"], int) and 0 <= data["holdout_pct"] <= 50):
        details.append({"field": "holdout_pct", "message": tr("a whole number from 0 to 50")})
    for flag in ("auto_promote", "stratify_by_persona"):
        if flag in data and not isinstance(data[flag], bool):
            details.append({"field": flag, "message": tr("true or false")})
    if details:
        raise Invalid(tr("%(field)s: %(message)s", field=details[0]["field"], message=details[0]["message"]), details)
    for key in ("primary_metric", "min_sample", "auto_promote", "stratify_by_persona", "holdout_pct"):
        if key in data:
            setattr(step, key, data[key])
    session.flush()
    return step
