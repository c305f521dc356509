"""The reverse funnel: from deals needed back to touches, stage by stage, as a low/mid/high range.

Each rate is P(reaching a stage | reached the one before). A stage's rate is measured when it has at
least MIN_OUTCOMES outcomes (the rep's own when they have that many, else the team's); below that the
manager's assumption (or the playbook default) is used. The range comes from the 95% Wilson intervals:
the fewest activities needed use every rate's upper bound, the most every lower bound.
"""
from __future__ import annotations

import math
from dataclasses import asdict, dataclass

from sequencer.reports.stats import wilson

MIN_OUTCOMES = 30
# (rate key, the plan count it leads to, the count before it); read top-down from won deals back to touches
CHAIN: tuple[tuple[str, str, str], ...] = (
    ("won", "deals", "negotiations"),
    ("negotiation", "negotiations", "proposals"),
    ("proposal", "proposals", "needs_analyses"),
    ("needs_analysis", "needs_analyses", "qualified"),
    ("qualification", "qualified", "opportunities"),
    ("opportunity", "opportunities", "meetings"),
    ("meeting", "meetings", "replies"),
    ("reply", "replies", "first_contacts"),
    ("first_contact", "first_contacts", "touches"),
)
RATE_KEYS = tuple(key for key, _, _ in CHAIN)
PLAN_KEYS = ("deals",) + tuple(before for _, _, before in CHAIN)
# the playbook's defaults until a stage is measured: about 5% from first contact to a won deal
DEFAULT_RATES = {"won": 0.5, "negotiation": 0.75, "proposal": 0.9, "needs_analysis": 0.9, "qualification": 0.8,
                 "opportunity": 0.8, "meeting": 0.5, "reply": 0.5, "first_contact": 0.25}


@dataclass(frozen=True)
class Rate:
    rate: float
    low: float
    high: float
    n: int
    successes: int
    source: str  # measured | assumed
    scope: str  # rep | team | assumption | default

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class Range:
    low: int | None
    mid: int | None
    high: int | None

    def as_dict(self) -> dict:
        return {"low": self.low, "mid": self.mid, "high": self.high}


Counts = dict[str, tuple[int, int]]  # rate key -> (successes, trials)


def measured(successes: int, trials: int, scope: str) -> Rate:
    low, high = wilson(successes, trials)
    return Rate(successes / trials if trials else 0.0, low, high, trials, successes, "measured", scope)


def choose(key: str, rep: Counts | None, team: Counts, assumptions: dict, forced: dict | None = None) -> Rate:
    """The rep's measured rate when they have enough outcomes, else the team's, else the assumption.

    `forced` (a what-if) wins over everything: the manager asked what happens at that rate.
    """
    if forced and key in forced:
        value = float(forced[key])
        s, n = team.get(key, (0, 0))
        return Rate(value, value, value, n, s, "assumed", "what_if")
    for scope, counts in (("rep", rep), ("team", team)):
        if counts is not None:
            s, n = counts.get(key, (0, 0))
            if n >= MIN_OUTCOMES:
                return measured(s, n, scope)
    s, n = team.get(key, (0, 0))
    if key in assumptions:
        value = float(assumptions[key])
        return Rate(value, value, value, n, s, "assumed", "assumption")
    value = DEFAULT_RATES[key]
    return Rate(value, value, value, n, s, "assumed", "default")


def choose_all(rep: Counts | None, team: Counts, assumptions: dict, forced: dict | None = None) -> dict[str, Rate]:
    return {key: choose(key, rep, team, assumptions, forced) for key in RATE_KEYS}


def _need(count: float | None, rate: float) -> float | None:
    if count is None or rate <= 0:
        return None
    return count / rate


def _ceil(value: float | None) -> int | None:
    return None if value is None else math.ceil(round(value, 6))


def reverse(deals: float, rates: dict[str, Rate]) -> dict[str, Range]:
    """Counts needed at every stage for `deals` won deals; None where a rate's bound is zero (no way there)."""
    low: float | None = deals
    mid: float | None = deals
    high: float | None = deals
    out = {"deals": Range(_ceil(deals), _ceil(deals), _ceil(deals))}
    for key, _, before in CHAIN:
        r = rates[key]
        low, mid, high = _need(low, r.high), _need(mid, r.rate), _need(high, r.low)
        out[before] = Range(_ceil(low), _ceil(mid), _ceil(high))
    return out


def deals_needed(target_amount: float | None, target_deals: int | None, average_deal: float | None) -> float:
    """Deals to win: given, or the revenue target over the average deal (0 when no deal size is known)."""
    if target_deals is not None:
        return float(target_deals)
    if target_amount is None or not average_deal:
        return 0.0
    return target_amount / average_deal
