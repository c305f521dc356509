"""Compiling (cached, validated first) and rendering templates within a budget; missing data.

``render`` only ever runs templates that pass ``validate_template``, so the runtime sandbox is a
second line of defence. Contexts are plain dicts (``build_context``); ``None``/blank values are
dropped so that using one fails (``render``) or is reported (``missing_variables``).
"""
from __future__ import annotations

from collections.abc import Generator, Mapping
from enum import Enum
from functools import lru_cache
from typing import Any

from jinja2 import Template, TemplateError, TemplateRuntimeError

from sequencer.rendering.budget import (
    DEFAULT_MAX_OUTPUT,
    RenderLimitExceeded,
    check_deadline,
    reset_budget,
    text_bytes,
    use_budget,
)
from sequencer.rendering.sandbox import EmailSandbox
from sequencer.rendering.schema import ANY, OBJECTS, SCHEMA
from sequencer.rendering.undefined import probe
from sequencer.rendering.validation import TemplateProblem, validate_template
from sequencer.texts import tr


class TemplateInvalid(TemplateError):
    """The template fails validation; ``problems`` says where and why."""

    def __init__(self, problems: list[TemplateProblem]) -> None:
        self.problems = problems
        super().__init__("; ".join(f"line {p.line}: {p.message}" for p in problems))


# -- environments and the compile cache -------------------------------------------------------

# The module-level environments: autoescaping for HTML bodies, none for subjects and text.
_ENVS = {"html": EmailSandbox(autoescape=True), "text": EmailSandbox(autoescape=False)}


@lru_cache(maxsize=1024)
def compile_template(source: str, kind: str) -> Template:
    """The compiled template for ``kind`` in _ENVS; raises TemplateInvalid (not cached)."""
    problems = validate_template(source, field="template", html=kind.startswith("html"))
    if problems:
        raise TemplateInvalid(problems)
    return _ENVS[kind].from_string(source)


def _run(template: Template, context: dict, max_output: int, time_limit: float) -> str:
    token = use_budget(time_limit, max_output)
    parts: list[str] = []
    size = 0
    gen = template.generate(context)
    assert isinstance(gen, Generator)  # a generator function, annotated as returning an Iterator
    try:
        for chunk in gen:  # a running byte count: the budget is checked while rendering, not after
            size += text_bytes(chunk)
            if size > max_output:
                raise RenderLimitExceeded(tr("the email would exceed %(n)s bytes", n=max_output))
            parts.append(chunk)
            if not len(parts) & 31:  # loops, calls and lookups check it too
                check_deadline()
    except TemplateError:
        raise
    except Exception as exc:  # ZeroDivisionError, RecursionError... from template code
        raise TemplateRuntimeError(f"{type(exc).__name__}: {exc}") from exc
    finally:
        gen.close()
        reset_budget(token)
    return "".join(parts)


def render(source: str, context: Mapping[str, Any], *, html: bool,
           max_output: int = DEFAULT_MAX_OUTPUT, time_limit: float = 0.25) -> str:
    """Render a validated template. Raises TemplateInvalid, UndefinedError (missing value),
    SecurityError, RenderLimitExceeded or TemplateRuntimeError."""
    template = compile_template(source, "html" if html else "text")
    return _run(template, prune_context(context), max_output, time_limit)


def render_probe(source: str, context: Mapping[str, Any], *, html: bool,
                 max_output: int = DEFAULT_MAX_OUTPUT, time_limit: float = 0.25) -> tuple[str, list[str]]:
    """Render with missing values as "" and return (output, missing dotted paths)."""
    template = compile_template(source, "html" if html else "text")
    ctx = prune_context(context)
    paths = {id(ctx[k]): k for k in OBJECTS if k in ctx}
    if isinstance(ctx.get("prospect", {}).get("fields"), dict):
        paths[id(ctx["prospect"]["fields"])] = "prospect.fields"
    with probe(paths) as seen:
        out = _run(template, ctx, max_output, time_limit)
    return out, list(dict.fromkeys(seen))


def check_template(source: str, *, field: str, html: bool) -> list[TemplateProblem]:
    """Save-time problems: validation, then a trial render without data, so a template that cannot
    render for anyone (``{{ 'a' * 10**9 }}``) is refused at save instead of held at every send."""
    problems = validate_template(source, field=field, html=html)
    if problems:
        return problems
    try:
        render_probe(source, {}, html=html, time_limit=1.0)
    except RenderLimitExceeded as exc:
        return [TemplateProblem(field, 1, tr("this template cannot be rendered: %(reason)s", reason=exc.message or str(exc)))]
    except TemplateError:  # errors that depend on the prospect's data are for send time (held there)
        pass
    return []


def missing_variables(source: str, context: Mapping[str, Any], *, html: bool = True) -> list[str]:
    """Dotted paths the template prints while empty/None/absent (``default`` makes them fine)."""
    return render_probe(source, context, html=html)[1]


# -- contexts -------------------------------------------------------------------------------------

def _blank(value: Any) -> bool:
    return value is None or value == "" or (isinstance(value, str) and value.isspace())


class TemplateContext(dict):
    """A context already pruned by ``build_context``/``prune_context`` (skips re-pruning)."""


def prune_context(context: Mapping[str, Any]) -> dict[str, Any]:
    """Keep schema keys only, drop blank values (so they are undefined), refuse non-dicts."""
    if type(context) is TemplateContext:
        return context
    out = TemplateContext()
    for key, spec in SCHEMA.items():
        value = context.get(key)
        if isinstance(spec, str):
            if not _blank(value):
                out[key] = value
            continue
        if value is None:
            out[key] = {}
            continue
        if not isinstance(value, Mapping):
            raise TypeError(f"context['{key}'] must be a dict (use build_context), not {type(value).__name__}")
        obj = {k: v for k, v in value.items() if k in spec and not _blank(v)}
        for k, sub in spec.items():
            if isinstance(sub, dict) and ANY in sub and isinstance(obj.get(k), Mapping):
                obj[k] = {fk: fv for fk, fv in obj[k].items() if not _blank(fv)}
        out[key] = obj
    return out


def _get(obj: Any, name: str) -> Any:
    if obj is None:
        return None
    if isinstance(obj, Mapping):
        return obj.get(name)
    return getattr(obj, name, None)


def _plain(value: Any) -> Any:
    """JSON-like data only: no ORM objects, so templates cannot walk relationships."""
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return str(value)


def _scalar(value: Any) -> str | None:
    if value is None:
        return None
    return str(value.value if isinstance(value, Enum) else value)


def build_context(prospect: Any, company: Any, sender: Any, persona: Any, unsubscribe_url: str) -> dict[str, Any]:
    """The template context from models or dicts (duck-typed), as plain dicts only."""
    ctx: dict[str, Any] = {"unsubscribe_url": str(unsubscribe_url) if unsubscribe_url else None}
    for key, obj in (("prospect", prospect), ("company", company), ("sender", sender), ("persona", persona)):
        spec = SCHEMA[key]
        assert isinstance(spec, dict)
        ctx[key] = {attr: _scalar(_get(obj, attr)) for attr in spec if attr not in ("fields", "name")}
        if "name" in spec:
            ctx[key]["name"] = _scalar(_get(obj, "name"))
    p = ctx["prospect"]
    full = " ".join(part for part in (p["first_name"], p["last_name"]) if part and part.strip())
    p["name"] = full or None  # not the model's e-mail fallback: a missing name must show as missing
    fields = _get(prospect, "fields")
    p["fields"] = _plain(fields) if isinstance(fields, Mapping) else {}
    return prune_context(ctx)
