"""Scoring a set of prospects: the rules' verdict on all their activities and attributes, appended to the
ledger as differences from what it already says, so scoring again changes nothing (exact and idempotent).

Every door comes here: activity ingest, own events, a new prospect, a rule change and the property test.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from sequencer.models import Activity, Company, Persona, Prospect
from sequencer.scoring import handoff, ledger, points
from sequencer.scoring.config import Rules
from sequencer.scoring.kinds import seniority
from sequencer.scoring.sql import among, lock_prospects


@dataclass
class Outcome:
    """What a scoring pass did: ledger lines added, prospects that became sales-ready or stopped being so."""

    lines: int = 0
    crossed: list[int] = field(default_factory=list)
    dropped: list[int] = field(default_factory=list)

    def add(self, other: Outcome) -> None:
        self.lines += other.lines
        self.crossed += other.crossed
        self.dropped += other.dropped


def _activities(session: Session, ids: list[int]) -> dict[int, list[points.Act]]:
    out: dict[int, list[points.Act]] = defaultdict(list)
    a = Activity
    for pid, aid, kind, at, props in session.execute(
            select(a.prospect_id, a.id, a.kind, a.occurred_at, a.properties)
            .where(among(session, a.prospect_id, ids))):
        out[pid].append(points.Act(aid, kind, at, props or {}))
    return out


def attributes(session: Session, ids: list[int]) -> dict[int, dict]:
    """What fit rules look at, per prospect."""
    rows = session.execute(
        select(Prospect.id, Persona.key, Prospect.title, Prospect.country, Company.size, Company.industry)
        .outerjoin(Persona, Prospect.persona_id == Persona.id).outerjoin(Company, Prospect.company_id == Company.id)
        .where(among(session, Prospect.id, ids)))
    return {pid: {"persona": persona, "seniority": seniority(title), "country": country, "company_size": size,
                  "industry": industry} for pid, persona, title, country, size, industry in rows}


def _differences(want: dict, have: dict) -> dict:
    """key → points to append so the ledger's sum per key becomes `want` (0 where a rule no longer pays)."""
    out = {k: v - have.get(k, 0) for k, v in want.items() if v != have.get(k, 0)}
    out.update({k: -v for k, v in have.items() if k not in want and v})
    return out


def _lines(session: Session, ids: list[int], rules: Rules, now: datetime) -> list[dict]:
    acts, attrs = _activities(session, ids), attributes(session, ids)
    have_eng, have_fit = ledger.activity_sums(session, ids), ledger.fit_sums(session, ids)
    lines = []
    for pid in ids:
        when = {a.id: a.occurred_at for a in acts.get(pid, [])}
        for (aid, key), pts in _differences(points.engagement(rules, acts.get(pid, [])), have_eng.get(pid, {})).items():
            lines.append(ledger.line(pid, ledger.ENGAGEMENT, key, rules.version, pts, when.get(aid, now), now, aid))
        if pid in attrs:
            for key, pts in _differences(points.fit(rules, attrs[pid]), have_fit.get(pid, {})).items():
                lines.append(ledger.line(pid, ledger.FIT, key, rules.version, pts, now, now))
    return lines


def _floor(ids: list[int], sums: dict[int, tuple[int, int]], rules: Rules, now: datetime) -> list[dict]:
    """Engagement never goes below zero: a line that brings a negative sum back to 0, for the ledger to show."""
    return [ledger.line(pid, ledger.DECAY, "floor", rules.version, -sums[pid][1], now, now)
            for pid in ids if sums[pid][1] < 0]


def _expire(session: Session, ids: list[int]) -> None:
    """By identity key, not `obj.id`: reading an expired object's id would load every prospect in a big session."""
    wanted = set(ids)
    for key in list(session.identity_map.keys()):
        obj = session.identity_map.get(key) if key[0] is Prospect and key[1][0] in wanted else None
        if obj is not None:
            session.expire(obj)


def score(session: Session, prospect_ids: Sequence[int], rules: Rules, now: datetime, *,
          hand_off: bool = True) -> Outcome:
    """Bring these prospects' ledgers, score columns and sales-ready flags in line with `rules`; one transaction."""
    ids = sorted(set(prospect_ids))
    if not ids:
        return Outcome()
    session.flush()
    lock_prospects(session, ids)
    lines = _lines(session, ids, rules, now)
    ledger.append(session, lines)
    sums = ledger.totals(session, ids)
    floor = _floor(ids, sums, rules, now)
    ledger.append(session, floor)
    ledger.store_totals(session, ids)
    session.execute(update(Activity).where(among(session, Activity.prospect_id, ids), Activity.scored_at.is_(None))
                    .values(scored_at=now).execution_options(synchronize_session=False))
    _expire(session, ids)
    outcome = Outcome(lines=len(lines) + len(floor))
    if hand_off:
        crossed, dropped = handoff.settle(session, ids, rules, now)
        outcome.crossed, outcome.dropped = crossed, dropped
    return outcome
