"""Lithuanian first names in the vocative case ("Labas, Tomai"), for greetings in emails to prospects.

A name that does not look Lithuanian (letters outside the alphabet, an ending we have no rule for) is returned
unchanged: a nominative greeting reads a little stiff, a wrongly inflected one reads as a mistake.
"""
from __future__ import annotations

import re
from typing import Any

# Lithuanian letters (q, w and x are not among them); anything else means a foreign name
_LITHUANIAN = re.compile(r"[a-ząčęėįšųūžy]+", re.IGNORECASE)
# longest ending first: -ius before -us, -ias (-as) before -s
_ENDINGS = (("ius", "iau"), ("us", "au"), ("as", "ai"), ("is", "i"), ("ys", "y"), ("ė", "e"))
_PARTS = re.compile(r"(\s+|-)")


def _word(word: str) -> str:
    if not _LITHUANIAN.fullmatch(word):
        return word
    lower = word.lower()
    for ending, replacement in _ENDINGS:
        if lower.endswith(ending) and len(word) > len(ending) + 1:
            tail = word[-len(ending):]
            new = replacement.upper() if tail.isupper() else replacement
            return word[:-len(ending)] + new
    return word


def vocative(value: Any) -> Any:
    """`Tomas` → `Tomai`, `Andrius` → `Andriau`, `Agnė` → `Agne`; each part of a double name; others unchanged."""
    if not isinstance(value, str) or not value.strip():
        return value
    return "".join(part if _PARTS.fullmatch(part) else _word(part) for part in _PARTS.split(value))
