"""Global search's people half: prospects by name, email, title or company, and companies by name or domain."""
from __future__ import annotations

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from sequencer.models import Company, Prospect
from sequencer.people.search import ProspectFilters, search_prospects

LIMIT = 8


def _needle(q: str) -> str:
    """Lower-cased, trimmed, at most 100 characters: `%` and `_` stay letters (autoescape)."""
    return q.strip().lower()[:100]


def find_prospects(session: Session, q: str, limit: int = LIMIT) -> list[Prospect]:
    """The prospect list's own search (name, email, title, company), first `limit` by name."""
    if not _needle(q):
        return []
    return search_prospects(session, ProspectFilters(q=_needle(q)), page=1, per_page=limit)[0]


def find_companies(session: Session, q: str, limit: int = LIMIT) -> list[tuple[Company, int]]:
    """Companies with how many prospects each has (one query)."""
    needle = _needle(q)
    if not needle:
        return []
    people = select(func.count(Prospect.id)).where(Prospect.company_id == Company.id).scalar_subquery()
    stmt = (select(Company, people)
            .where(or_(func.lower(Company.name).contains(needle, autoescape=True),
                       func.lower(Company.domain).contains(needle, autoescape=True)))
            .order_by(Company.name, Company.id).limit(limit))
    return [(company, count or 0) for company, count in session.execute(stmt)]
