"""Build a small measured history: prospects touched, some replying, meeting, opening deals that close."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

from sequencer.models import Event, Opportunity, Stage, StageChange, User
from tests.factories import Factory

NOW = datetime(2027, 3, 10, 12, 0, tzinfo=UTC)  # a Wednesday


def contacts(factory: Factory, owner: User, n: int, replied: int = 0, met: int = 0, at: datetime | None = None,
             touches_each: int = 1) -> list:
    """n prospects first touched at `at`; the first `replied` replied, the first `met` booked a meeting."""
    at = at or NOW - timedelta(days=30)
    out = []
    for i in range(n):
        p = factory.prospect(owner_id=owner.id)
        for t in range(touches_each):
            factory._add(Event(kind="sent", prospect_id=p.id, occurred_at=at + timedelta(minutes=t)))
        if i < replied:
            factory._add(Event(kind="replied", prospect_id=p.id, occurred_at=at + timedelta(days=1)))
        if i < met:
            factory._add(Event(kind="meeting_booked", prospect_id=p.id, occurred_at=at + timedelta(days=2)))
        out.append(p)
    return out


def deal(factory: Factory, owner: User, path: list[str], amount: int = 30_000, opened: datetime | None = None,
         cycle_days: int = 60, lost_reason: str | None = None) -> Opportunity:
    """A deal moved along `path` (stage values), closed `cycle_days` after opening when the path ends closed."""
    opened = opened or NOW - timedelta(days=120)
    stage = Stage(path[-1])
    closed = opened + timedelta(days=cycle_days) if stage.is_closed else None
    opp = factory.opportunity(stage=path[0], owner=owner, amount=Decimal(amount), created_at=opened)
    opp.history[0].changed_at = opened
    prev = path[0]
    for i, step in enumerate(path[1:], start=1):
        opp.history.append(StageChange(from_stage=prev, to_stage=step,
                                       changed_at=opened + timedelta(days=i)))
        prev = step
    opp.stage, opp.closed_at, opp.lost_reason = stage, closed, lost_reason
    factory.session.flush()
    return opp


WON = ["qualification", "needs_analysis", "proposal", "negotiation", "closed_won"]
LOST_AT_PROPOSAL = ["qualification", "needs_analysis", "proposal", "closed_lost"]
