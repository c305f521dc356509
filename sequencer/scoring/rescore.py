"""After a rule change: the dry run (who would become or stop being sales-ready) and the re-score itself,
both from the activities on record, chunk by chunk so memory stays flat whatever the number of prospects."""
from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from sequencer.models import Activity, Prospect, ScoreEntry
from sequencer.platform import queues
from sequencer.scoring import config, engine, handoff, ledger, points
from sequencer.scoring.config import Rules
from sequencer.scoring.sql import among, chunks

INLINE_LIMIT = 5000  # workspaces up to this many prospects re-score within the request; larger ones in a job


def _all_ids(session: Session) -> list[int]:
    return list(session.scalars(select(Prospect.id).order_by(Prospect.id)))


def rescore_all(session: Session, now: datetime, rules: Rules | None = None, commit=None) -> engine.Outcome:
    """Every prospect scored under `rules` (default: those in force); `commit` runs after each chunk if given."""
    rules = rules or config.current(session)
    outcome = engine.Outcome()
    for ids in chunks(_all_ids(session)):
        outcome.add(engine.score(session, ids, rules, now))
        if commit is not None:
            commit()
    return outcome


def pending(session: Session, now: datetime, limit: int = 5000) -> engine.Outcome:
    """Score prospects with activities no scoring pass has seen yet (Sequencer's own events)."""
    found = session.scalars(select(Activity.prospect_id).where(Activity.scored_at.is_(None),
                                                               Activity.prospect_id.is_not(None))
                            .group_by(Activity.prospect_id).order_by(Activity.prospect_id).limit(limit))
    ids = [pid for pid in found if pid is not None]
    rules, outcome = config.current(session), engine.Outcome()
    for chunk in chunks(ids):
        outcome.add(engine.score(session, chunk, rules, now))
    return outcome


def _decay_sums(session: Session, ids: list[int]) -> dict[int, int]:
    e = ScoreEntry
    return {pid: int(total) for pid, total in session.execute(
        select(e.prospect_id, func.sum(e.points)).where(among(session, e.prospect_id, ids), e.kind == ledger.DECAY)
        .group_by(e.prospect_id))}


def _would_be(session: Session, ids: list[int], rules: Rules) -> dict[int, tuple[int, int]]:
    """prospect → (fit, engagement) a re-score under `rules` would leave, computed without writing."""
    acts: dict[int, list[points.Act]] = defaultdict(list)
    for pid, aid, kind, at, props in session.execute(
            select(Activity.prospect_id, Activity.id, Activity.kind, Activity.occurred_at, Activity.properties)
            .where(among(session, Activity.prospect_id, ids))):
        acts[pid].append(points.Act(aid, kind, at, props or {}))
    attrs = engine.attributes(session, ids)
    decay = _decay_sums(session, ids)
    return {pid: (sum(points.fit(rules, attrs[pid]).values()) if pid in attrs else 0,
                  max(0, sum(points.engagement(rules, acts.get(pid, [])).values()) + decay.get(pid, 0)))
            for pid in ids}


def dry_run(session: Session, rules: Rules) -> dict:
    """{would_become_sales_ready, would_stop_being_sales_ready}: counts under `rules`; nothing changes."""
    become = stop = 0
    for ids in chunks(_all_ids(session)):
        flags = dict(session.execute(select(Prospect.id, Prospect.sales_ready).where(among(session, Prospect.id, ids)))
                     .all())
        for pid, (fit, engagement) in _would_be(session, ids, rules).items():
            now_ready = handoff.ready(rules, fit, engagement)
            become += int(now_ready and not flags.get(pid))
            stop += int(flags.get(pid, False) and not now_ready)
    return {"would_become_sales_ready": become, "would_stop_being_sales_ready": stop}


def count(session: Session) -> int:
    return session.scalar(select(func.count(Prospect.id))) or 0


def later(connection) -> None:
    """Re-score in a job (workers.jobs.rescore): large workspaces, after a rule change."""
    queues.enqueue(queues.DEFAULT, "workers.jobs.rescore", connection=connection, job_timeout=3600,
                   job_id="rescore-latest-rules")
