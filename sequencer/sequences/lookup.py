"""Global search's sequences: by name or description, active ones first."""
from __future__ import annotations

from sqlalchemy import case, func, or_, select
from sqlalchemy.orm import Session

from sequencer.models import Sequence, SequenceStatus

LIMIT = 8


def find_sequences(session: Session, q: str, limit: int = LIMIT) -> list[Sequence]:
    needle = q.strip().lower()[:100]
    if not needle:
        return []
    stmt = (select(Sequence)
            .where(or_(func.lower(Sequence.name).contains(needle, autoescape=True),
                       func.lower(Sequence.description).contains(needle, autoescape=True)))
            .order_by(case((Sequence.status == SequenceStatus.ACTIVE, 0), else_=1), Sequence.name, Sequence.id)
            .limit(limit))
    return list(session.scalars(stmt))
