"""The append-only points ledger: what is on it, new lines, and prospect totals recomputed from it."""
from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from sqlalchemy import case, func, select, update
from sqlalchemy.orm import Session

from sequencer.models import Activity, Prospect, ScoreEntry
from sequencer.scoring.sql import among, insert_many

FIT, ENGAGEMENT, DECAY = "fit", "engagement", "decay"  # decay also holds the floor lines (never below zero)


def append(session: Session, rows: list[dict]) -> None:
    """Add ledger lines (dicts of ScoreEntry columns) in one statement; nothing is ever updated."""
    insert_many(session, ScoreEntry, rows)


def activity_sums(session: Session, ids: list[int]) -> dict[int, dict[tuple[int | None, str], int]]:
    """prospect → (activity id, rule key) → points on the ledger so far (engagement lines)."""
    out: dict[int, dict[tuple[int | None, str], int]] = defaultdict(dict)
    e = ScoreEntry
    for pid, aid, key, points in session.execute(
            select(e.prospect_id, e.activity_id, e.rule_key, func.sum(e.points))
            .where(among(session, e.prospect_id, ids), e.kind == ENGAGEMENT)
            .group_by(e.prospect_id, e.activity_id, e.rule_key)):
        out[pid][(aid, key)] = int(points)
    return out


def fit_sums(session: Session, ids: list[int]) -> dict[int, dict[str, int]]:
    out: dict[int, dict[str, int]] = defaultdict(dict)
    e = ScoreEntry
    for pid, key, points in session.execute(
            select(e.prospect_id, e.rule_key, func.sum(e.points))
            .where(among(session, e.prospect_id, ids), e.kind == FIT).group_by(e.prospect_id, e.rule_key)):
        out[pid][key] = int(points)
    return out


def totals(session: Session, ids: list[int]) -> dict[int, tuple[int, int]]:
    """prospect → (fit, engagement): the sums of its ledger lines."""
    out = {pid: [0, 0] for pid in ids}
    e = ScoreEntry
    for pid, kind, points in session.execute(
            select(e.prospect_id, e.kind, func.sum(e.points)).where(among(session, e.prospect_id, ids))
            .group_by(e.prospect_id, e.kind)):
        out[pid][0 if kind == FIT else 1] += int(points)
    return {pid: (fit, eng) for pid, (fit, eng) in out.items()}


def _sum_of(*kinds: str):
    e = ScoreEntry
    return func.coalesce(select(func.sum(e.points)).where(e.prospect_id == Prospect.id, e.kind.in_(kinds))
                         .scalar_subquery(), 0)


def store_totals(session: Session, ids: list[int]) -> None:
    """Set the score columns to the ledger sums, and the last activity to the newest; decay restarts after it."""
    newest = select(func.max(Activity.occurred_at)).where(Activity.prospect_id == Prospect.id).scalar_subquery()
    session.execute(update(Prospect).where(among(session, Prospect.id, ids)).values(
        score_fit=_sum_of(FIT), score_engagement=_sum_of(ENGAGEMENT, DECAY),
        score_decay_steps=case((Prospect.last_activity_at == newest, Prospect.score_decay_steps), else_=0),
        last_activity_at=newest, updated_at=Prospect.updated_at,  # a score change is not an edit
    ).execution_options(synchronize_session=False))


def line(pid: int, kind: str, key: str, version: int, points: int, at: datetime, now: datetime,
         activity_id: int | None = None) -> dict:
    return {"prospect_id": pid, "activity_id": activity_id, "kind": kind, "rule_key": key, "rule_version": version,
            "points": points, "at": at, "created_at": now}
