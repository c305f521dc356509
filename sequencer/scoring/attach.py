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
from sequencer.scoring import config, engine, ingest
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


def prospect_changed(session: Session, prospect_id: int, now: datetime) -> None:
    """A prospect's title, persona, country or company changed: fit rules may say something else now."""
    rules = config.current(session)
    if rules.fit_rules:
        engine.score(session, [prospect_id], rules, now)


def _has_activities(session: Session, ids: list[int]) -> bool:
    return session.scalar(select(Activity.id).where(among(session, Activity.prospect_id, ids)).limit(1)) is not None


def imported_activities(session: Session, import_id: int, links: list[dict], activity: dict,
                        now: datetime) -> None:
    """The import's "record as activity" option (webinar attendees): one activity per imported row, scored.
    The row's line is in the external id, so a batch run twice records it once."""
    items = [{"prospect_id": link["prospect_id"], "kind": activity["kind"], "occurred_at": activity["at"],
              "external_id": f"import:{import_id}:{link['line']}",
              "properties": {"title": activity.get("title") or "", "import_id": import_id}} for link in links]
    for start in range(0, len(items), ingest.MAX_BATCH):
        ingest.receive(session, items[start:start + ingest.MAX_BATCH], now, source="import")
