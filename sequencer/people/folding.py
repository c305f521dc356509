"""Searches that ignore Lithuanian diacritics: "zukauskas" finds "Žukauskas", the same SQL on SQLite and PostgreSQL.

PostgreSQL has `translate()` built in; SQLite gets the same three-argument function from the connect hook in
`sequencer.platform.db` (with a Unicode `lower`), so one expression serves both.
"""
from __future__ import annotations

from typing import Any

from sqlalchemy import func
from sqlalchemy.sql.elements import ColumnElement

MARKED = "ąčęėįšųūž"
PLAIN = "aceeisuuz"
_TABLE = str.maketrans(MARKED, PLAIN)


def fold(text: str) -> str:
    """The needle as the database sees a folded column: lower-case, Lithuanian marks dropped."""
    return text.lower().translate(_TABLE)


def folded(column: Any) -> ColumnElement:
    """`translate(lower(column), 'ąčęėįšųūž', 'aceeisuuz')`."""
    return func.translate(func.lower(column), MARKED, PLAIN)
