"""How a missing value behaves: strict when sending, recorded when probing for missing data.

Normally ``EmailUndefined`` is a StrictUndefined that may be tested (``{% if prospect.title %}``,
``==``, ``is defined``) but not printed, iterated or computed with, so a render never yields
"Hi ,". Inside ``probe()`` it instead renders as "" and records its dotted path
(``prospect.first_name``), which is how ``missing_variables`` works. Security errors (unsafe
attributes) are never turned into "": they raise in both modes.
"""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from jinja2 import StrictUndefined, Undefined
from jinja2.sandbox import SecurityError
from jinja2.utils import missing as _missing

# (id(context object) -> its dotted path, paths recorded) while probing; None when sending.
_PROBE: ContextVar[tuple[dict[int, str], list[str]] | None] = ContextVar("render_probe", default=None)


@contextmanager
def probe(paths: dict[int, str]) -> Iterator[list[str]]:
    """Within the block, undefined values render as "" and their paths land in the yielded list."""
    seen: list[str] = []
    token = _PROBE.set((paths, seen))
    try:
        yield seen
    finally:
        _PROBE.reset(token)


class EmailUndefined(StrictUndefined):
    # StrictUndefined fills these dunders with its always-raising `_fail_with_undefined_error`, so mypy takes
    # that as their type; giving them working methods back is the point of this class (hence the ignores).
    __slots__ = ()
    __bool__ = Undefined.__bool__  # type: ignore[assignment]
    __eq__ = Undefined.__eq__  # type: ignore[assignment]
    __ne__ = Undefined.__ne__  # type: ignore[assignment]
    __hash__ = Undefined.__hash__  # type: ignore[assignment]

    def _path(self) -> str:
        obj, name = self._undefined_obj, self._undefined_name
        if obj is _missing:
            return str(name)
        if isinstance(obj, EmailUndefined):
            return f"{obj._path()}.{name}"
        state = _PROBE.get()
        base = state[0].get(id(obj)) if state else None
        return f"{base}.{name}" if base else str(name)

    def _fail_or_record(self, *args: Any, **kwargs: Any) -> Any:
        state = _PROBE.get()
        if state is None or issubclass(self._undefined_exception, SecurityError):
            self._fail_with_undefined_error()
        state[1].append(self._path())
        return self

    def __str__(self) -> str:  # type: ignore[override]  # see the class comment
        self._fail_or_record()
        return ""

    def __iter__(self) -> Iterator[Any]:  # type: ignore[override]  # see the class comment
        self._fail_or_record()
        return iter(())

    def __len__(self) -> int:  # type: ignore[override]  # see the class comment
        self._fail_or_record()
        return 0

    def __getattr__(self, name: str) -> Any:
        if name[:2] == "__":
            raise AttributeError(name)
        if _PROBE.get() is None:
            self._fail_with_undefined_error()
        return EmailUndefined(obj=self, name=name)

    def __getitem__(self, name: Any) -> Any:
        if _PROBE.get() is None:
            self._fail_with_undefined_error()
        return EmailUndefined(obj=self, name=name)

    __add__ = __radd__ = __sub__ = __rsub__ = __mul__ = __rmul__ = _fail_or_record
    __truediv__ = __rtruediv__ = __floordiv__ = __rfloordiv__ = __mod__ = __rmod__ = _fail_or_record
    __pos__ = __neg__ = __call__ = __pow__ = __rpow__ = __contains__ = _fail_or_record
    __lt__ = __le__ = __gt__ = __ge__ = __int__ = __float__ = __complex__ = _fail_or_record
