"""The render budget: a deadline and a byte limit per render, and what a value would cost as text.

Sizes are counted in UTF-8 bytes of the text a value turns into when printed, joined or
concatenated, including every item of nested lists, tuples and dicts (``[a] * 5000`` is 5,000
copies of ``a`` once printed, not 5,000 items), so each growing operation is refused *before*
Python builds the string.
"""
from __future__ import annotations

import math
import time
from collections.abc import Mapping, MappingView
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from jinja2 import TemplateError, Undefined

from sequencer.texts import tr

DEFAULT_MAX_OUTPUT = 200_000  # bytes of one rendered subject or body
_REPR_OVERHEAD = 4  # quotes and ", " around an item printed inside a list


class RenderLimitExceeded(TemplateError):
    """Rendering took too long or produced (or was about to produce) too much text."""


@dataclass(frozen=True, slots=True)
class Budget:
    deadline: float  # time.monotonic() value
    max_output: int


UNLIMITED = Budget(math.inf, DEFAULT_MAX_OUTPUT)  # frozen, so safe to share as the ContextVar's default
_BUDGET: ContextVar[Budget] = ContextVar("render_budget", default=UNLIMITED)


def use_budget(time_limit: float, max_output: int):
    """Install a budget for the renders in this context; returns the token for ``reset_budget``."""
    return _BUDGET.set(Budget(time.monotonic() + time_limit, max_output))


def reset_budget(token) -> None:
    _BUDGET.reset(token)


def max_output() -> int:
    return _BUDGET.get().max_output


def check_deadline() -> None:
    if time.monotonic() > _BUDGET.get().deadline:
        raise RenderLimitExceeded(tr("rendering took too long"))


def too_big(what: str = "") -> RenderLimitExceeded:
    return RenderLimitExceeded(tr("%(what)s would exceed %(n)s bytes", what=what or tr("a value"), n=max_output()))


def text_bytes(text: str) -> int:
    """UTF-8 size of a string (no copy for ASCII)."""
    return len(text) if text.isascii() else len(text.encode("utf-8", "surrogatepass"))


def _item_bytes(text: str) -> int:
    """Upper bound of a string's repr, as printed inside a list (escapes can make it 10x longer)."""
    plain = text.isprintable() and "\\" not in text and not ("'" in text and '"' in text)
    return (text_bytes(text) if plain else 10 * len(text)) + _REPR_OVERHEAD


class _Weigher:
    """Sums the printed size of a value, stopping as soon as it passes ``limit``; shared items once."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.seen: dict[int, int] = {}

    def weigh(self, value: Any, nested: bool) -> int:
        if isinstance(value, str):
            return _item_bytes(value) if nested else text_bytes(value)
        if isinstance(value, bool) or value is None:
            return 5 + _REPR_OVERHEAD
        if isinstance(value, int):
            return value.bit_length() // 3 + 2 + _REPR_OVERHEAD
        if isinstance(value, float):
            return 24 + _REPR_OVERHEAD
        if isinstance(value, Undefined):
            return 0
        if isinstance(value, (list, tuple, set, frozenset, Mapping, MappingView)):
            return self._container(value)
        return 64 + _REPR_OVERHEAD  # loop helpers, ranges, macros: a short repr

    def _container(self, value: Any) -> int:
        key = id(value)
        if key in self.seen:
            return self.seen[key]
        items = value.items() if isinstance(value, Mapping) else value
        total = 2 + _REPR_OVERHEAD
        for i, item in enumerate(items):
            total += self.weigh(item, True)
            if total > self.limit:
                raise too_big()
            if not i & 1023:
                check_deadline()
        self.seen[key] = total
        return total


def weigh(value: Any, *, nested: bool = False) -> int:
    """The bytes ``value`` becomes as text (an upper bound for containers); raises when past the budget."""
    limit = max_output()
    try:
        size = _Weigher(limit).weigh(value, nested)
    except RecursionError:
        raise too_big(tr("a nested value")) from None
    if size > limit:
        raise too_big()
    return size


def check_size(value: Any) -> Any:
    """Refuse a value that would print to more than the budget; returns it unchanged."""
    if isinstance(value, str) and 4 * len(value) <= _BUDGET.get().max_output:
        return value  # the common case, on every printed value: at most 4 UTF-8 bytes a character
    weigh(value)
    return value


def check_parts(parts: tuple) -> tuple:
    """The operands of ``~`` (or a buffer's pieces): their total printed size is checked before joining."""
    limit, total = max_output(), 0
    for part in parts:
        total += weigh(part)
        if total > limit:
            raise too_big(tr("joining text"))
    return parts
