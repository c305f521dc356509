"""Decay: engagement fades while a prospect is idle, counted in whole days of the prospect's own time zone.

`{points, idle_days}` takes `points` off per full idle period (the playbook: −10 per 30 days); `{half_life_days}`
halves engagement per period. Never below zero. Steps already taken since the last activity are on the
prospect (`score_decay_steps`), so a second run the same day takes nothing more.
"""
from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta
from functools import cache
from zoneinfo import ZoneInfo

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from sequencer.models import Prospect
from sequencer.platform import timezones
from sequencer.scoring import config, handoff, ledger
from sequencer.scoring.config import Rules
from sequencer.scoring.sql import among, chunks, lock_prospects

CHUNK = 2000


@cache
def _zone(name: str | None) -> ZoneInfo:
    return timezones.zone(name)


def idle_days(last_activity: datetime, now: datetime, tz: str | None) -> int:
    """Whole days between the last activity's local date and today's, in the prospect's time zone."""
    zone = _zone(tz)
    return (timezones.local_date(now, zone) - timezones.local_date(last_activity, zone)).days


def _period(rules: Rules) -> int | None:
    decay = rules.decay or {}
    if decay.get("half_life_days"):
        return int(decay["half_life_days"])
    return int(decay["idle_days"]) if decay.get("points") and decay.get("idle_days") else None


def _steps(rules: Rules, pid: int, engagement: int, done: int, due: int, now: datetime) -> list[dict]:
    period, decay, lines = _period(rules) or 1, rules.decay, []
    for step in range(done + 1, due + 1):
        loss = (engagement + 1) // 2 if decay.get("half_life_days") else min(int(decay["points"]), engagement)
        if loss <= 0:
            break
        engagement -= loss
        lines.append(ledger.line(pid, ledger.DECAY, f"decay_{step * period}d", rules.version, -loss, now, now))
    return lines


def _chunk(session: Session, ids: list[int], rules: Rules, now: datetime, period: int) -> tuple[int, int]:
    lock_prospects(session, ids)
    p = Prospect
    rows = session.execute(select(p.id, p.timezone, p.last_activity_at, p.score_engagement, p.score_decay_steps)
                           .where(among(session, p.id, ids), p.score_engagement > 0)).all()
    lines: list[dict] = []
    new_steps: dict[int, list[int]] = defaultdict(list)
    for pid, tz, last, engagement, done in rows:
        due = idle_days(last, now, tz) // period if last else 0
        if due > done:
            lines += _steps(rules, pid, engagement, done, due, now)
            new_steps[due].append(pid)
    ledger.append(session, lines)
    changed = sorted(pid for pids in new_steps.values() for pid in pids)
    if changed:
        ledger.store_totals(session, changed)
    for due, pids in new_steps.items():
        session.execute(update(p).where(among(session, p.id, pids)).values(score_decay_steps=due, updated_at=p.updated_at)
                        .execution_options(synchronize_session=False))
    if changed:
        handoff.settle(session, changed, rules, now)
    return len(changed), -sum(line["points"] for line in lines)


def run(session: Session, now: datetime) -> dict:
    """One decay pass as of `now` over every prospect idle for a full period; the caller commits."""
    rules = config.current(session)
    period = _period(rules)
    if period is None:
        return {"prospects": 0, "points": 0}
    cutoff = now - timedelta(days=period - 1)  # a day of margin: idle days are counted in local dates
    ids = list(session.scalars(select(Prospect.id).where(Prospect.score_engagement > 0,
                                                         Prospect.last_activity_at < cutoff).order_by(Prospect.id)))
    decayed = points = 0
    for chunk in chunks(ids, CHUNK):
        n, pts = _chunk(session, chunk, rules, now, period)
        decayed, points = decayed + n, points + pts
    return {"prospects": decayed, "points": points, "checked": len(ids)}
