"""Global search's deals: by deal name or company name, open ones first."""
from __future__ import annotations

from sqlalchemy import case, func, or_, select
from sqlalchemy.orm import Session, joinedload

from sequencer.models import Company, Opportunity, Stage

LIMIT = 8
CLOSED = (Stage.CLOSED_WON, Stage.CLOSED_LOST)


def find_deals(session: Session, q: str, limit: int = LIMIT) -> list[Opportunity]:
    needle = q.strip().lower()[:100]
    if not needle:
        return []
    stmt = (select(Opportunity).outerjoin(Company, Opportunity.company_id == Company.id)
            .where(or_(func.lower(Opportunity.name).contains(needle, autoescape=True),
                       func.lower(Company.name).contains(needle, autoescape=True)))
            .options(joinedload(Opportunity.company), joinedload(Opportunity.owner))
            .order_by(case((Opportunity.stage.in_(CLOSED), 1), else_=0), Opportunity.name, Opportunity.id)
            .limit(limit))
    return list(session.scalars(stmt).unique())
