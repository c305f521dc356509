"""One way to cut a list into pages and order it by a whitelisted column, shared by the API and the UI's lists."""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session


@dataclass(frozen=True)
class Page:
    number: int
    per_page: int

    @property
    def offset(self) -> int:
        return (self.number - 1) * self.per_page

    def cut(self, stmt: Select) -> Select:
        return stmt.limit(self.per_page).offset(self.offset)


def last_page(total: int, per_page: int) -> int:
    """Pages needed for `total` rows; an empty list still has page 1."""
    return max((total + per_page - 1) // per_page, 1)


def count(session: Session, stmt: Select) -> int:
    """Rows of the filtered query, counted by the database."""
    return session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery())) or 0


def fetch(session: Session, stmt: Select, page: Page) -> tuple[list[Any], int]:
    """One page of `stmt` (LIMIT/OFFSET) and the total matching rows (SELECT count over the same query)."""
    return list(session.scalars(page.cut(stmt)).unique()), count(session, stmt)


@dataclass(frozen=True)
class Sort:
    """`key` from a whitelist; `-key` is descending. The columns come from the whitelist, never from the request."""
    key: str
    descending: bool

    @property
    def token(self) -> str:
        return f"-{self.key}" if self.descending else self.key

    @classmethod
    def parse(cls, raw: str | None, allowed: Mapping[str, Any], default: str) -> Sort:
        """An unknown key falls back to `default` (a stale bookmark still opens the list)."""
        text = (raw or "").strip()
        key = text.lstrip("-")
        if key not in allowed:
            text, key = default, default.lstrip("-")
        return cls(key, text.startswith("-"))

    def order_by(self, allowed: Mapping[str, Sequence[Any]], tiebreak: Sequence[Any] = ()) -> list[Any]:
        """Plain ASC/DESC (the database's own null order) so an index on the column serves the page."""
        columns = list(allowed[self.key])
        return [c.desc() if self.descending else c.asc() for c in columns] + list(tiebreak)
