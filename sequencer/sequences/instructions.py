"""A step's instructions for the rep: the same sandboxed Jinja as emails, checked when saved, filled per prospect.

Saving refuses what would show as braces in a task (a syntax error, an unknown variable, or a hand-typed
`{first name}` that is not a merge field); the task gets the text rendered for its prospect, a missing value
named in brackets rather than left blank.
"""
from __future__ import annotations

import re
from typing import Any

from jinja2 import TemplateError

from sequencer.rendering import build_context, check_template
from sequencer.rendering.render import render_probe
from sequencer.texts import tr

_SINGLE_BRACES = re.compile(r"(?<![{%#])\{\s*[A-Za-z][\w .]*\s*\}(?!\})")


def instruction_problems(source: str) -> list[tuple[int, str]]:
    """(line, message) for every problem of a step's instructions (save time)."""
    out = [(p.line, p.message) for p in check_template(source or "", field="instructions", html=False)]
    for match in _SINGLE_BRACES.finditer(source or ""):
        line = source.count("\n", 0, match.start()) + 1
        out.append((line, tr("%(text)s is not a merge field: use a variable such as %(example)s (see Variables)",
                             text=match.group(0), example="{{ prospect.first_name }}")))
    return out


def render_instructions(source: str, prospect: Any, sender: Any) -> str:
    """The instructions as this prospect's task shows them; the text as written if it cannot be rendered."""
    if not source or "{" not in source:
        return source or ""
    context = build_context(prospect, getattr(prospect, "company", None), sender,
                            getattr(prospect, "persona", None), "")
    try:
        text, missing = render_probe(source, context, html=False)
    except TemplateError:  # a step saved before instructions were validated
        return source
    if missing:
        text += "\n\n[missing: " + ", ".join(missing) + "]"
    return text
