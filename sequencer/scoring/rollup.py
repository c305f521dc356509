"""A company's score from its people: the hottest one (max) and the whole buying group (sum) of engagement."""
from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from sequencer.models import Prospect
from sequencer.scoring.sql import among


def company_scores(session: Session, company_ids: Iterable[int | None]) -> dict[int, dict]:
    """company id → {max, sum, sales_ready}: engagement of its prospects, in one grouped query."""
    ids = sorted({c for c in company_ids if c is not None})
    if not ids:
        return {}
    p = Prospect
    rows = session.execute(select(p.company_id, func.max(p.score_engagement), func.sum(p.score_engagement),
                                  func.sum(case((p.sales_ready, 1), else_=0)))
                           .where(among(session, p.company_id, ids)).group_by(p.company_id))
    return {cid: {"max": int(mx or 0), "sum": int(total or 0), "sales_ready": int(ready or 0)}
            for cid, mx, total, ready in rows}
