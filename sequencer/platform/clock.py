"""The one clock: everything that needs the current time asks here, so tests and `tick --now` can move it."""
from __future__ import annotations

import contextlib
from collections.abc import Iterator
from datetime import UTC, datetime

_frozen: datetime | None = None


def now() -> datetime:
    """Current time as an aware UTC datetime (or the frozen time, when one is set)."""
    if _frozen is not None:
        return _frozen
    return datetime.now(UTC)


def freeze(at: datetime | None) -> None:
    """Pin the clock to `at` (aware); `None` releases it."""
    global _frozen
    if at is not None and at.tzinfo is None:
        raise ValueError("the clock needs an aware datetime")
    _frozen = at.astimezone(UTC) if at is not None else None


@contextlib.contextmanager
def frozen(at: datetime) -> Iterator[datetime]:
    """Run a block as of `at`, restoring the previous clock afterwards."""
    previous = _frozen
    freeze(at)
    try:
        yield at
    finally:
        freeze(previous)
