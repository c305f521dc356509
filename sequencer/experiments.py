"""Variant assignment: weighted, and deterministic per (enrolment, step) so a retry never switches variant."""
from __future__ import annotations

import hashlib
from collections.abc import Sequence as Seq

from sequencer.models import Variant


def _unit(enrollment_id: int, step_id: int) -> float:
    digest = hashlib.sha256(f"{enrollment_id}:{step_id}".encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


def assign_variant(enrollment_id: int, step_id: int, variants: Seq[Variant]) -> Variant | None:
    """The active variant this enrolment gets for this step, by weight; None when the step has none."""
    pool = sorted((v for v in variants if v.active and v.weight > 0), key=lambda v: v.label)
    if not pool:
        return None
    point = _unit(enrollment_id, step_id) * sum(v.weight for v in pool)
    for variant in pool:
        point -= variant.weight
        if point < 0:
            return variant
    return pool[-1]
