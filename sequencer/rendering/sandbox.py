"""The sandboxed Jinja environments and the render budget.

``SandboxedEnvironment`` stops attribute escapes (``__class__``, ``__globals__``...) but bounds
neither CPU nor memory. ``EmailSandbox`` adds that: a per-render budget (deadline and maximum
size, held in a context variable) checked on every call, attribute/item lookup, loop iteration,
intercepted operator, filter and buffered concatenation; a ``range`` limited to 10,000 items;
only an allowlist of callables, filters, tests and no loader (no include/import/extends).
"""
from __future__ import annotations

from collections.abc import Iterator, MappingView
from functools import wraps
from typing import Any

from jinja2 import Undefined, filters as jfilters, tests as jtests
from jinja2.compiler import CodeGenerator
from jinja2.runtime import LoopContext, Macro
from jinja2.sandbox import SandboxedEnvironment, SecurityError
from jinja2.utils import pass_eval_context

from sequencer.rendering.budget import (
    RenderLimitExceeded,
    check_deadline,
    check_parts,
    check_size,
    max_output,
    too_big,
    weigh,
)
from sequencer.rendering.schema import ALLOWED_FILTERS, ALLOWED_METHODS, ALLOWED_TESTS
from sequencer.rendering.undefined import EmailUndefined
from sequencer.rendering.vocative import vocative
from sequencer.texts import tr

MAX_RANGE = 10_000
MAX_INT_BITS = 4096  # ~1,200 decimal digits: plenty for an email, cheap to compute
_CHECK_EVERY = 64  # loop iterations between deadline checks (power of two)


def _guarded(iterable: Any) -> Iterator[Any]:
    check = check_deadline
    for i, item in enumerate(iterable):
        if not i & (_CHECK_EVERY - 1):
            check()
        yield item


class BoundedRange:
    """``range`` for templates: at most MAX_RANGE items, and iterating checks the deadline."""

    __slots__ = ("_r",)

    def __init__(self, r: range) -> None:
        if len(r) > MAX_RANGE:
            raise RenderLimitExceeded(tr("range() is limited to %(n)s items", n=MAX_RANGE))
        self._r = r

    def __iter__(self) -> Iterator[int]:
        return _guarded(self._r)

    def __reversed__(self) -> Iterator[int]:
        return _guarded(reversed(self._r))

    def __len__(self) -> int:
        return len(self._r)

    def __contains__(self, item: object) -> bool:
        return item in self._r

    def __getitem__(self, index: Any) -> Any:
        item = self._r[index]
        return BoundedRange(item) if isinstance(item, range) else item

    def __repr__(self) -> str:
        return repr(self._r)


def bounded_range(*args: int) -> BoundedRange:
    return BoundedRange(range(*args))


def guard_iter(iterable: Any) -> Any:
    """Wrapped around every ``{% for %}`` iterable by the code generator."""
    return iterable if isinstance(iterable, BoundedRange) else _guarded(iterable)


def bounded_concat(parts: Any) -> str:
    """``environment.concat``: joins macro/``{% set %}``/filter-block buffers, size checked first."""
    return "".join(check_parts(tuple(parts)))


class _CodeGenerator(CodeGenerator):
    """Wraps loop iterables in ``guard_iter`` and ``~`` concatenations in ``check_size``."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._loop_iters: set[int] = set()

    def visit_For(self, node, frame) -> None:
        self._loop_iters.add(id(node.iter))
        super().visit_For(node, frame)

    def visit(self, node, *args: Any, **kwargs: Any) -> Any:
        if id(node) in self._loop_iters:
            self.write("environment.guard_iter(")
            super().visit(node, *args, **kwargs)
            self.write(")")
            return None
        return super().visit(node, *args, **kwargs)

    def visit_Concat(self, node, frame) -> None:
        """``a ~ b``: the operands' printed sizes are checked before any of them becomes a string."""
        if frame.eval_ctx.volatile:
            func_name = "(markup_join if context.eval_ctx.volatile else str_join)"
        else:
            func_name = "markup_join" if frame.eval_ctx.autoescape else "str_join"
        self.write(f"{func_name}(environment.check_parts((")
        for arg in node.nodes:
            self.visit(arg, frame)
            self.write(", ")
        self.write(")))")


# -- filters: the allowlist, each wrapped to check the deadline and bound its result ----------

def _bounded(func):
    @wraps(func)  # keeps jinja_pass_arg (pass_eval_context / pass_environment)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        check_deadline()
        for arg in (*args, *kwargs.values()):  # a filter may print a list: weigh it first
            if isinstance(arg, _CONTAINERS):
                weigh(arg)
        return check_size(func(*args, **kwargs))
    return wrapper


_CONTAINERS = (list, tuple, set, frozenset, dict, MappingView)


@pass_eval_context
def _replace(eval_ctx, s, old, new, count=None):
    text, old_s, new_s = str(s), str(old), str(new)
    n = text.count(old_s) if count is None else min(int(count), text.count(old_s))
    if weigh(text) + n * (weigh(new_s) - weigh(old_s)) > max_output():
        raise too_big("replace()")
    return jfilters.do_replace(eval_ctx, s, old, new, count)


@pass_eval_context
def _join(eval_ctx, value, d="", attribute=None):
    items = list(value)
    if attribute is not None:
        getter = jfilters.make_attrgetter(eval_ctx.environment, attribute)
        items = [getter(x) for x in items]
    size, limit = weigh(d) * max(len(items) - 1, 0), max_output()
    for item in items:  # each item's printed size, before any is turned into text
        size += weigh(item)
        if size > limit:
            raise too_big("join()")
    if size > limit:
        raise too_big("join()")
    return jfilters.do_join(eval_ctx, items, d)


def _filters() -> dict[str, Any]:
    base = dict(jfilters.FILTERS, replace=_replace, join=_join, vocative=vocative)
    return {name: _bounded(base[name]) for name in ALLOWED_FILTERS}


# -- the environment ------------------------------------------------------------------------------

def _is_allowed_method(obj: Any) -> bool:
    owner = getattr(obj, "__self__", None)
    name = getattr(obj, "__name__", None)
    return name in ALLOWED_METHODS and isinstance(owner, (dict, LoopContext))


class EmailSandbox(SandboxedEnvironment):
    code_generator_class = _CodeGenerator
    # ``+`` and ``%`` too: string/list growth and printf-style padding ('%999999999s').
    intercepted_binops = frozenset({"*", "**", "+", "%"})

    # Referenced by the generated code as ``environment.<name>``.
    guard_iter = staticmethod(guard_iter)
    check_size = staticmethod(check_size)
    check_parts = staticmethod(check_parts)
    concat = staticmethod(bounded_concat)

    def __init__(self, *, autoescape: bool) -> None:
        super().__init__(
            autoescape=autoescape, undefined=EmailUndefined, loader=None, extensions=(),
            trim_blocks=True, lstrip_blocks=True, cache_size=0, auto_reload=False,
            finalize=check_size,  # every printed value is weighed before it becomes text
        )
        self.globals.clear()
        self.globals["range"] = bounded_range
        self.filters = _filters()
        self.tests = {name: jtests.TESTS[name] for name in ALLOWED_TESTS}

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        if not super().is_safe_attribute(obj, attr, value):
            return False
        if isinstance(obj, (LoopContext, Undefined)):  # Undefined: nested missing values
            return True
        return isinstance(obj, dict) and attr in ALLOWED_METHODS

    def getattr(self, obj: Any, attribute: str) -> Any:
        check_deadline()
        return super().getattr(obj, attribute)

    def getitem(self, obj: Any, argument: Any) -> Any:
        check_deadline()
        return super().getitem(obj, argument)

    def call(self, context: Any, obj: Any, /, *args: Any, **kwargs: Any) -> Any:
        check_deadline()
        if not (obj is bounded_range or isinstance(obj, (Macro, LoopContext, Undefined))
                or _is_allowed_method(obj)):
            raise SecurityError(tr("%(name)s cannot be called in an email template",
                                   name=repr(getattr(obj, "__name__", type(obj).__name__))))
        return super().call(context, obj, *args, **kwargs)

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        check_deadline()
        limit = max_output()
        seqs = (str, list, tuple)
        if operator == "*":
            for seq, n in ((left, right), (right, left)):
                if isinstance(seq, seqs) and isinstance(n, int) and n > 0 and weigh(seq) * n > limit:
                    raise too_big("'*'")
            if (isinstance(left, int) and isinstance(right, int)
                    and left.bit_length() + right.bit_length() > MAX_INT_BITS):
                raise RenderLimitExceeded(tr("number too large"))
        elif operator == "**":
            if (isinstance(left, int) and isinstance(right, int) and right > 0 and abs(left) > 1
                    and right * abs(left).bit_length() > MAX_INT_BITS):
                raise RenderLimitExceeded(tr("number too large"))
        elif operator == "+":
            if isinstance(left, seqs) and isinstance(right, seqs) and weigh(left) + weigh(right) > limit:
                raise too_big("'+'")
        elif operator == "%" and isinstance(left, str):
            raise SecurityError(tr("'%' string formatting is not allowed; join text with '~'"))
        return super().call_binop(context, operator, left, right)
