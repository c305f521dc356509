"""The library's `[…]` prompts ("[One line about …]") that a rep must replace before an email may go out."""
from __future__ import annotations

import re

from sequencer.errors import Invalid
from sequencer.texts import tr

# a bracketed phrase of a few words on one line; not a Markdown link's text (followed by "(")
_PLACEHOLDER = re.compile(r"\[[^\[\]\n]*[A-Za-z][^\[\]\n]*\s[^\[\]\n]*\](?!\()")


def placeholders(text: str) -> list[str]:
    """Each distinct `[…]` prompt left in `text`, in order."""
    return list(dict.fromkeys(m.group(0) for m in _PLACEHOLDER.finditer(text or "")))


def refuse_placeholders(subject: str, body: str) -> None:
    """A library prompt such as "[One line about …]" left in a rep's text would go out literally: Invalid."""
    for field, text in (("subject", subject), ("body", body)):
        left = placeholders(text)
        if left:
            raise Invalid.field(field, tr("replace the placeholder %(names)s before sending", names=", ".join(left)))
