"""Save-time template validation by walking the Jinja AST (invariant 4: refuse at save, not send).

Reports, each with its line: syntax errors, unknown variables (outside the schema and not bound
by ``for``/``set``/``macro``/``with``), unknown attributes of schema objects, filters/tests off
the allowlist, disallowed calls and private attributes, include/import/extends, autoescape
overrides, and bindings that would shadow schema names.
"""
from __future__ import annotations

import difflib
from dataclasses import asdict, dataclass
from functools import lru_cache

from jinja2 import TemplateSyntaxError, nodes

from sequencer.rendering.sandbox import EmailSandbox
from sequencer.rendering.schema import (
    ALLOWED_FILTERS,
    ALLOWED_GLOBALS,
    ALLOWED_METHODS,
    ALLOWED_TESTS,
    ANY,
    SCHEMA,
)
from sequencer.texts import tr

MAX_SOURCE = 100_000
_PARSER = EmailSandbox(autoescape=False)  # parsing does not depend on autoescape
_PROTECTED = frozenset(SCHEMA) | ALLOWED_GLOBALS


@dataclass(frozen=True, slots=True)
class TemplateProblem:
    field: str
    line: int
    message: str

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class Analysis:
    problems: tuple[tuple[int, str], ...]
    references: frozenset[str]  # dotted schema paths used, e.g. "prospect.first_name"


def validate_template(source: str, *, field: str, html: bool) -> list[TemplateProblem]:
    """Problems in ``source`` (empty when it may be saved). ``field`` names it in the problems."""
    del html  # same rules for both kinds today; kept so callers state what they validate
    return [TemplateProblem(field, line, msg) for line, msg in analyse(source).problems]


def template_variables(source: str) -> frozenset[str]:
    """Schema paths a (valid) template references."""
    return analyse(source).references


@lru_cache(maxsize=1024)
def analyse(source: str) -> Analysis:
    if len(source) > MAX_SOURCE:
        return Analysis(((1, tr("template is longer than %(n)s characters", n=MAX_SOURCE)),), frozenset())
    try:
        tree = _PARSER.parse(source)
    except TemplateSyntaxError as exc:
        return Analysis(((exc.lineno or 1, tr("syntax error: %(problem)s", problem=exc.message)),), frozenset())
    except RecursionError:
        return Analysis(((1, tr("template is nested too deeply")),), frozenset())
    walker = _Walker()
    try:
        walker.stmts(tree.body, set())
    except RecursionError:
        walker.report(tree, tr("template is nested too deeply"))
    unique = tuple(dict.fromkeys(walker.problems))
    return Analysis(unique, frozenset(walker.references))


def _target_names(target: nodes.Node) -> list[nodes.Name]:
    return [n for n in [target, *target.find_all(nodes.Name)] if isinstance(n, nodes.Name)]


class _Walker:
    def __init__(self) -> None:
        self.problems: list[tuple[int, str]] = []
        self.references: set[str] = set()

    def report(self, node: nodes.Node, message: str) -> None:
        self.problems.append((getattr(node, "lineno", None) or 1, message))

    # -- statements ------------------------------------------------------------------------

    def stmts(self, body: list[nodes.Node], scope: set[str]) -> None:
        for node in body:
            self.stmt(node, scope)

    def bind(self, target: nodes.Node, scope: set[str], what: str) -> None:
        if isinstance(target, nodes.NSRef):
            self.report(target, tr("namespace assignment is not allowed"))
            return
        for name in _target_names(target):
            if name.name in _PROTECTED:
                self.report(name, tr("%(what)s must not redefine '%(name)s'", what=what, name=name.name))
            scope.add(name.name)

    def stmt(self, node: nodes.Node, scope: set[str]) -> None:
        """One statement: its expressions are checked in `scope`, its bodies in the scope they open."""
        if isinstance(node, nodes.Output):
            for child in node.nodes:
                if not isinstance(child, nodes.TemplateData):
                    self.expr(child, scope)
        elif isinstance(node, nodes.For):
            self.for_loop(node, scope)
        elif isinstance(node, nodes.If):
            self.expr(node.test, scope)
            self.stmts(node.body, scope)
            for elif_ in node.elif_:
                self.stmt(elif_, scope)
            self.stmts(node.else_, scope)
        elif isinstance(node, nodes.Assign):
            self.expr(node.node, scope)
            self.bind(node.target, scope, "{% set %}")
        elif isinstance(node, nodes.AssignBlock):
            self.stmts(node.body, set(scope))
            if node.filter is not None:
                self.expr(node.filter, scope)
            self.bind(node.target, scope, "{% set %}")
        elif isinstance(node, (nodes.Macro, nodes.CallBlock)):
            self.macro(node, scope)
        elif isinstance(node, nodes.FilterBlock):
            self.expr(node.filter, scope)
            self.stmts(node.body, set(scope))
        elif isinstance(node, nodes.With):
            self.with_block(node, scope)
        else:
            self.other_stmt(node, scope)

    def for_loop(self, node: nodes.For, scope: set[str]) -> None:
        """The loop target and `loop` exist only in the body (and the filter); `{% else %}` sees the outer scope."""
        self.expr(node.iter, scope)
        inner = set(scope)
        self.bind(node.target, inner, "{% for %}")
        inner.add("loop")
        if node.test is not None:
            self.expr(node.test, inner)
        self.stmts(node.body, inner)
        self.stmts(node.else_, set(scope))

    def macro(self, node: nodes.Macro | nodes.CallBlock, scope: set[str]) -> None:
        """Arguments (and caller, varargs, kwargs) exist only in the body; defaults are read in the outer scope."""
        if isinstance(node, nodes.Macro):
            self.bind(nodes.Name(node.name, "store", lineno=node.lineno), scope, "{% macro %}")
            what = "a macro argument"
        else:
            self.expr(node.call, scope)
            what = "{% call %}"
        inner = set(scope) | {"caller", "varargs", "kwargs"}
        for default in node.defaults:
            self.expr(default, scope)
        for arg in node.args:
            self.bind(arg, inner, what)
        self.stmts(node.body, inner)

    def with_block(self, node: nodes.With, scope: set[str]) -> None:
        inner = set(scope)
        for value in node.values:
            self.expr(value, scope)
        for target in node.targets:
            self.bind(target, inner, "{% with %}")
        self.stmts(node.body, inner)

    def other_stmt(self, node: nodes.Node, scope: set[str]) -> None:
        """Tags that load templates or switch autoescaping are refused; anything else is walked conservatively."""
        if isinstance(node, (nodes.Extends, nodes.Include, nodes.Import, nodes.FromImport)):
            tag = type(node).__name__.lower().replace("fromimport", "from ... import")
            self.report(node, tr("{%% %(tag)s %%} is not allowed: email templates cannot load other templates", tag=tag))
        elif isinstance(node, (nodes.ScopedEvalContextModifier, nodes.EvalContextModifier)):
            self.report(node, tr("{% autoescape %} is not allowed"))
        elif isinstance(node, nodes.Block):
            self.stmts(node.body, set(scope))
        else:  # Scope and anything newer: walk children conservatively
            for child in node.iter_child_nodes():
                (self.expr if isinstance(child, nodes.Expr) else self.stmt)(child, scope)

    # -- expressions -------------------------------------------------------------------------

    def expr(self, node: nodes.Node, scope: set[str]) -> None:
        if isinstance(node, nodes.Name):
            if self.known(node, scope) and node.name in SCHEMA and node.name not in scope:
                self.references.add(node.name)
        elif isinstance(node, (nodes.Getattr, nodes.Getitem)):
            self.lookup(node, scope)
        elif isinstance(node, nodes.Call):
            self.call(node, scope)
        elif isinstance(node, (nodes.Filter, nodes.Test)):
            allowed, kind = (ALLOWED_FILTERS, "filter") if isinstance(node, nodes.Filter) else (ALLOWED_TESTS, "test")
            if node.name not in allowed:
                self.report(node, tr("%(kind)s '%(name)s' is not allowed (allowed: %(allowed)s)", kind=kind, name=node.name,
                                    allowed=", ".join(sorted(allowed))))
            for child in node.iter_child_nodes():
                self.expr(child, scope)
        else:
            if (isinstance(node, nodes.Mod) and isinstance(node.left, nodes.Const)
                    and isinstance(node.left.value, str)):
                self.report(node, tr("'%' string formatting is not allowed; join text with '~'"))
            for child in node.iter_child_nodes():
                self.expr(child, scope)

    def known(self, node: nodes.Name, scope: set[str]) -> bool:
        if node.name in scope or node.name in SCHEMA or node.name in ALLOWED_GLOBALS:
            return True
        self.report(node, _unknown(node.name, node.name, list(SCHEMA)))
        return False

    def call(self, node: nodes.Call, scope: set[str]) -> None:
        callee = node.node
        for child in node.iter_child_nodes():
            if child is not callee:
                self.expr(child, scope)
        before = len(self.problems)
        self.expr(callee, scope)
        if len(self.problems) > before:
            return  # the callee itself is already reported (unknown name, bad attribute)
        if isinstance(callee, nodes.Name):
            if callee.name not in scope and callee.name not in ALLOWED_GLOBALS:
                self.report(node, tr("'%(name)s' cannot be called", name=callee.name))
        elif isinstance(callee, nodes.Getattr):
            if callee.attr not in ALLOWED_METHODS:
                self.report(node, tr("calling '.%(name)s()' is not allowed; use a filter instead", name=callee.attr))
        else:
            self.report(node, tr("this expression cannot be called"))

    def lookup(self, node: nodes.Expr, scope: set[str]) -> None:
        segments: list[str | None] = []  # None: a non-literal or non-string subscript
        cur = node
        while isinstance(cur, (nodes.Getattr, nodes.Getitem)):
            if isinstance(cur, nodes.Getattr):
                segments.append(cur.attr)
            else:
                arg = cur.arg
                if isinstance(arg, nodes.Const) and isinstance(arg.value, str):
                    segments.append(arg.value)
                else:
                    segments.append(None)
                    self.expr(arg, scope)
            cur = cur.node
        segments.reverse()
        if isinstance(cur, nodes.Name):
            if not self.known(cur, scope):
                return
        else:
            self.expr(cur, scope)
        private = [s for s in segments if isinstance(s, str) and s.startswith("_")]
        if private:
            self.report(node, tr("access to '%(name)s' is not allowed", name=private[0]))
            return
        if not (isinstance(cur, nodes.Name) and cur.name in SCHEMA and cur.name not in scope):
            return
        spec: dict | str = SCHEMA[cur.name]
        path = cur.name
        for seg in segments:
            if isinstance(spec, dict) and ANY in spec:
                path += f".{seg}" if seg else ""
                break
            if isinstance(spec, dict):
                if seg is None:
                    self.report(node, tr("'%(path)s[...]' needs a literal name: use %(path)s.<name>", path=path))
                    return
                if seg not in spec:
                    self.report(node, _unknown(f"{path}.{seg}", seg, list(spec), prefix=path + "."))
                    return
                spec, path = spec[seg], f"{path}.{seg}"
            elif seg is not None:
                self.report(node, tr("'%(path)s' has no attribute '%(name)s'; use a filter instead", path=path, name=seg))
                return
        self.references.add(path)


def _unknown(path: str, name: str, options: list[str], prefix: str = "") -> str:
    """The refusal for an unknown name, with the closest known one when there is one."""
    close = difflib.get_close_matches(name, options, n=1)
    if close:
        return tr("unknown variable '%(path)s' (did you mean '%(guess)s'?)", path=path, guess=prefix + close[0])
    return tr("unknown variable '%(path)s'", path=path)
