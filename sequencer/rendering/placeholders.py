"""The library's `[…]` prompts ("[One line about …]") that a rep must replace before an email may go out."""
from __future__ import annotations

import re

# a bracketed phrase of a few words on one line; not a Markdown link's text (followed by "(")
_PLACEHOLDER = re.compile(r"\[[^\[\]\n]*[A-Za-z][^\[\]\n]*\s[^\[\]\n]*\](?!\()")


def placeholders(text: str) -> list[str]:
    """Each distinct `[…]` prompt left in `text`, in order."""
    return list(dict.fromkeys(m.group(0) for m in _PLACEHOLDER.finditer(text or "")))
