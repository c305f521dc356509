"""Variant assignment: weighted, and deterministic per (enrolment, step) so a retry never switches variant.

With `stratify_by_persona` a step balances each persona separately: the enrolment gets the variant
furthest below its weighted share among that persona's runs so far (ties broken by the stable hash),
so a small persona is split evenly instead of by luck. Holdout enrolments (a stable hash below the
step's `holdout_pct`) keep a step run flagged `holdout`, which dispatch skips (`outreach.holdout`).
The choice is made once, when the step run is created, and stored on it.
"""
from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Sequence as Seq

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from sequencer.models import Enrollment, Prospect, Step, StepRun, Variant


def _unit(enrollment_id: int, step_id: int, salt: str = "") -> float:
    digest = hashlib.sha256(f"{enrollment_id}:{step_id}{salt}".encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


def _pool(variants: Seq[Variant]) -> list[Variant]:
    return sorted((v for v in variants if v.active and v.weight > 0), key=lambda v: v.label)


def assign_variant(enrollment_id: int, step_id: int, variants: Seq[Variant]) -> Variant | None:
    """The active variant this enrolment gets for this step, by weight; None when the step has none."""
    pool = _pool(variants)
    if not pool:
        return None
    point = _unit(enrollment_id, step_id) * sum(v.weight for v in pool)
    for variant in pool:
        point -= variant.weight
        if point < 0:
            return variant
    return pool[-1]


def is_holdout(enrollment_id: int, step: Step) -> bool:
    """In the step's holdout share: a hash independent of the variant hash, so both stay uniform."""
    return bool(step.holdout_pct) and _unit(enrollment_id, step.id, ":holdout") * 100 < step.holdout_pct


class Assigner:
    """Chooses (variant, holdout) for one step across many enrolments, keeping per-persona counts."""

    def __init__(self, session: Session, step: Step):
        self.session, self.step = session, step
        self.pool = _pool(step.variants)
        self._counts: dict[int | None, Counter] = {}

    def _persona_counts(self, persona_id: int | None) -> Counter:
        if persona_id not in self._counts:
            stmt = (select(StepRun.variant_id, func.count()).join(Enrollment, Enrollment.id == StepRun.enrollment_id)
                    .join(Prospect, Prospect.id == Enrollment.prospect_id)
                    .where(StepRun.step_id == self.step.id, StepRun.variant_id.is_not(None),
                           Prospect.persona_id.is_(None) if persona_id is None else Prospect.persona_id == persona_id)
                    .group_by(StepRun.variant_id))
            self._counts[persona_id] = Counter(dict(self.session.execute(stmt).all()))
        return self._counts[persona_id]

    def pick(self, enrollment_id: int, persona_id: int | None) -> tuple[Variant | None, bool]:
        holdout = is_holdout(enrollment_id, self.step)
        if not self.step.stratify_by_persona or len(self.pool) < 2:
            return assign_variant(enrollment_id, self.step.id, self.step.variants), holdout
        counts = self._persona_counts(persona_id)
        total, weights = sum(counts[v.id] for v in self.pool) + 1, sum(v.weight for v in self.pool)
        tiebreak = _unit(enrollment_id, self.step.id)
        chosen = max(self.pool, key=lambda v: (round(v.weight / weights * total - counts[v.id], 9),
                                               -abs(tiebreak - self.pool.index(v) / len(self.pool))))
        counts[chosen.id] += 1
        return chosen, holdout


def choose(session: Session, enrollment: Enrollment, step: Step) -> tuple[Variant | None, bool]:
    """The (variant, holdout) for one new step run."""
    return Assigner(session, step).pick(enrollment.id, enrollment.prospect.persona_id)
