"""Who to call first: sales-ready prospects active lately, the rep's own before the rest, hottest first."""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import case, select
from sqlalchemy.orm import Session, joinedload

from sequencer.models import Prospect, ProspectStatus

RECENT_DAYS = 14


def hot_leads(session: Session, user_id: int, now: datetime, days: int = RECENT_DAYS,
              limit: int = 100) -> list[Prospect]:
    """Sales-ready and active within `days`; the caller's own first, then by engagement and recency."""
    mine = case((Prospect.owner_id == user_id, 0), else_=1)
    return list(session.scalars(
        select(Prospect).where(Prospect.sales_ready.is_(True), Prospect.status == ProspectStatus.ACTIVE,
                               Prospect.last_activity_at >= now - timedelta(days=days))
        .options(joinedload(Prospect.company), joinedload(Prospect.owner))
        .order_by(mine, Prospect.score_engagement.desc(), Prospect.last_activity_at.desc(), Prospect.id)
        .limit(limit)))
