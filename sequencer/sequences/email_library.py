"""Starter email templates per persona and language (templates/emails/<persona>/<kind>[.lt].txt; see its README.md).

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
#: language → file suffix (English is the unmarked original)
LANGUAGES = {"en": "", "lt": ".lt"}


@dataclass(frozen=True)
class LibraryTemplate:
    key: str  # "cfo/intro", "cfo/intro.lt"
    persona: str
    kind: str
    title: str
    subject: str
    body: str
    language: str = "en"


def parse(text: str) -> tuple[str, str]:
    """`Subject: ...` on the first line, a blank line, then the body."""
    first, _, rest = text.replace("\r\n", "\n").partition("\n")
    if not first.startswith("Subject:"):
        raise ValueError("a library template starts with a 'Subject:' line")
    return first.removeprefix("Subject:").strip(), rest.lstrip("\n").rstrip() + "\n"


@functools.cache
def list_templates() -> tuple[LibraryTemplate, ...]:
    """Every persona's emails in every language, English first (the builder's "Start from library" lists them all:
    a sequence is written once for many prospects, so its author picks the language, as for the persona)."""
    out = []
    for language, suffix in LANGUAGES.items():
        for persona, persona_title in PERSONAS.items():
            for kind, kind_title in KINDS.items():
                path = LIBRARY_DIR / persona / f"{kind}{suffix}.txt"
                subject, body = parse(path.read_text(encoding="utf-8"))
                title = (tr("%(persona)s · %(kind)s · in Lithuanian", persona=persona_title, kind=kind_title)
                         if suffix else tr("%(persona)s · %(kind)s", persona=persona_title, kind=kind_title))
                out.append(LibraryTemplate(f"{persona}/{kind}{suffix}", persona, kind, title, subject, body, language))
    return tuple(out)


def get(key: str) -> LibraryTemplate | None:
    return next((t for t in list_templates() if t.key == key), None)


def in_language(key: str, language: str | None) -> LibraryTemplate | None:
    """The same persona's email of that kind in `language` (a prospect's), else the one asked for."""
    wanted = get(key)
    if wanted is None:
        return None
    return next((t for t in list_templates() if (t.persona, t.kind, t.language) == (wanted.persona, wanted.kind,
                                                                                   language)), wanted)
