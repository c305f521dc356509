"""Small SQL helpers the scoring modules share: `IN` lists that stay cheap on PostgreSQL, row locks, chunks."""
from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence

from sqlalchemy import any_, literal, select
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Session

from sequencer.models import Prospect

CHUNK = 1000


def is_pg(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def among(session: Session, column, values: Iterable):
    """`column IN values`; on PostgreSQL `= ANY(array)`: one parameter instead of thousands."""
    values = list(values)
    if is_pg(session):
        return column == any_(literal(values, ARRAY(column.type)))
    return column.in_(values)


def lock_prospects(session: Session, ids: Sequence[int]) -> None:
    """Row locks in id order (no deadlocks) so two workers scoring one prospect take turns (PostgreSQL)."""
    if is_pg(session):
        session.execute(select(Prospect.id).where(among(session, Prospect.id, ids)).order_by(Prospect.id)
                        .with_for_update())


def chunks(ids: Sequence[int], size: int = CHUNK) -> Iterator[list[int]]:
    for start in range(0, len(ids), size):
        yield list(ids[start:start + size])
