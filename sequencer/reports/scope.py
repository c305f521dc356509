"""Which slice of the numbers a report shows: a date range and, for one person's view, whose prospects."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, select

from sequencer.models import Event, Prospect


@dataclass(frozen=True)
class Scope:
    since: datetime | None = None  # inclusive
    until: datetime | None = None  # exclusive
    owner_id: int | None = None  # only prospects this user owns; None is the whole team

    def events(self, stmt: Select) -> Select:
        """Events in the range, of the owner's prospects."""
        if self.since is not None:
            stmt = stmt.where(Event.occurred_at >= self.since)
        if self.until is not None:
            stmt = stmt.where(Event.occurred_at < self.until)
        if self.owner_id is not None:
            stmt = stmt.where(Event.prospect_id.in_(select(Prospect.id).where(Prospect.owner_id == self.owner_id)))
        return stmt

    def rows(self, stmt: Select, moment, prospect_id) -> Select:
        """Any other rows with a moment column and a prospect column (enrolments), cut the same way."""
        if self.since is not None:
            stmt = stmt.where(moment >= self.since)
        if self.until is not None:
            stmt = stmt.where(moment < self.until)
        if self.owner_id is not None:
            stmt = stmt.where(prospect_id.in_(select(Prospect.id).where(Prospect.owner_id == self.owner_id)))
        return stmt

    @property
    def narrowed(self) -> bool:
        return self.since is not None or self.until is not None or self.owner_id is not None
