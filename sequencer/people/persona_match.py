"""Suggesting a persona from a job title, loaded once so a 100,000-row import doesn't query per row.

A keyword must start at a word boundary, so `CTO` does not match `Director` while stems still
work (`financ` matches `Finance`, `Finansų direktor` matches `Finansų direktorė`).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field


@dataclass
class PersonaMatcher:
    """Title keywords → persona id; the longest keyword found wins, ties go to the older persona."""

    keywords: list[tuple[re.Pattern, int, int]] = field(default_factory=list)  # (pattern, length, persona id)
    keys: dict[str, int] = field(default_factory=dict)
    seen: dict[str, int | None] = field(default_factory=dict)  # titles repeat a lot in one list

    @classmethod
    def of(cls, personas) -> PersonaMatcher:
        out = cls(keys={p.key: p.id for p in personas})
        for p in personas:
            for kw in p.title_keywords or []:
                kw = str(kw).strip().casefold()
                if kw:
                    out.keywords.append((re.compile(r"(?<!\w)" + re.escape(kw)), len(kw), p.id))
        out.keywords.sort(key=lambda k: -k[1])
        return out

    def match(self, title: str | None) -> int | None:
        if not title:
            return None
        if title not in self.seen:
            folded = title.casefold()
            self.seen[title] = next((pid for pattern, _, pid in self.keywords if pattern.search(folded)), None)
        return self.seen[title]
