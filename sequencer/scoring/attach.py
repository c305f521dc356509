"""New prospects: anonymous activities with their email become theirs, and they are scored (fit rules too).

The one function every way a prospect appears calls (the API and UI through people.prospects, CSV imports,
forms), so an activity seen before the person was known still counts.
"""
from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from sequencer.models import Activity, Prospect
from sequencer.scoring import config, engine
from sequencer.scoring.sql import among, chunks


def prospects_created(session: Session, prospect_ids: Sequence[int], now: datetime) -> engine.Outcome:
    """Attach waiting anonymous activities to these new prospects, then score them."""
    outcome = engine.Outcome()
    rules = config.current(session)
    for ids in chunks(sorted(set(prospect_ids))):
        owner = (select(Prospect.id).where(Prospect.email_normalized == Activity.email)
                 .where(among(session, Prospect.id, ids)).scalar_subquery())
        session.execute(update(Activity).where(Activity.prospect_id.is_(None), Activity.email.is_not(None))
                        .where(Activity.email.in_(select(Prospect.email_normalized)
                                                  .where(among(session, Prospect.id, ids))))
                        .values(prospect_id=owner).execution_options(synchronize_session=False))
        if rules.fit_rules or _has_activities(session, ids):
            outcome.add(engine.score(session, ids, rules, now))
    return outcome


def _has_activities(session: Session, ids: list[int]) -> bool:
    return session.scalar(select(Activity.id).where(among(session, Activity.prospect_id, ids)).limit(1)) is not None
