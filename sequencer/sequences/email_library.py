"""Starter email templates per persona (templates/emails/<persona>/<kind>.txt; see its README.md).

Path-safe: only the fixed PERSONAS x KINDS names below are ever turned into paths; a key from a
form is looked up in that list, never joined onto a directory.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass

from sequencer.platform.paths import templates_dir
from sequencer.texts import tr

LIBRARY_DIR = templates_dir() / "emails"
PERSONAS = {"cfo": tr("CFO"), "cto": tr("CTO / IT security"), "head_of_sales": tr("Head of Sales")}
KINDS = {"intro": tr("Intro"), "followup": tr("Follow-up (in thread)"), "breakup": tr("Break-up")}


@dataclass(frozen=True)
class LibraryTemplate:
    key: str  # "cfo/intro"
    persona: str
    kind: str
    title: str
    subject: str
    body: str


def parse(text: str) -> tuple[str, str]:
    """`Subject: ...` on the first line, a blank line, then the body."""
    first, _, rest = text.replace("\r\n", "\n").partition("\n")
    if not first.startswith("Subject:"):
        raise ValueError("a library template starts with a 'Subject:' line")
    return first.removeprefix("Subject:").strip(), rest.lstrip("\n").rstrip() + "\n"


@functools.cache
def list_templates() -> tuple[LibraryTemplate, ...]:
    out = []
    for persona, persona_title in PERSONAS.items():
        for kind, kind_title in KINDS.items():
            subject, body = parse((LIBRARY_DIR / persona / f"{kind}.txt").read_text(encoding="utf-8"))
            out.append(LibraryTemplate(f"{persona}/{kind}", persona, kind, tr("%(persona)s · %(kind)s", persona=persona_title, kind=kind_title),
                                       subject, body))
    return tuple(out)


def get(key: str) -> LibraryTemplate | None:
    return next((t for t in list_templates() if t.key == key), None)
