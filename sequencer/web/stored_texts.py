"""Texts a service stored in English (an import's skip reasons and error, an inbound message's effect), said again
in the reader's language.

The rows keep English because the API and the CSV exports read them. A page finds the message id each text was
made from in the reader's catalogue (its `%(name)s` placeholders read as wildcards) and says it again with the
values it carried; a text no message id explains is shown as stored.
"""
from __future__ import annotations

import functools
import re

from sequencer.platform import i18n
from sequencer.texts import Text
from sequencer.web.locale import current

_PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")
_WORDS = re.compile(r"[^\W\d_]{3,}")


@functools.lru_cache(maxsize=4)
def _patterns(locale: str) -> tuple[tuple[str, re.Pattern, str], ...]:
    """(literal start, pattern, msgid) of every message id with placeholders, the longest literal start first."""
    catalog = getattr(i18n.translations(locale), "_catalog", {})
    out = []
    for msgid in catalog:
        names = _PLACEHOLDER.findall(msgid) if isinstance(msgid, str) else []
        if not names or len(set(names)) != len(names) or not _WORDS.search(_PLACEHOLDER.sub("", msgid)):
            continue  # "%(left)s · %(right)s" would match any text: only messages with words of their own
        parts = _PLACEHOLDER.split(msgid)
        regex = "".join(re.escape(p) if i % 2 == 0 else f"(?P<{p}>[^;]+?)" for i, p in enumerate(parts))  # a value
        # holds no "; ", which joins the parts of an effect
        out.append((parts[0], re.compile(regex + r"\Z", re.S), msgid))
    out.sort(key=lambda t: -len(t[0]))
    return tuple(out)


def _one(stored: str, locale: str, inner: bool = False) -> str | None:
    table = i18n.translations(locale)
    if stored in getattr(table, "_catalog", {}) and (not inner or " " in stored):  # a value's lone word stays
        return table.gettext(stored)
    for start, pattern, msgid in _patterns(locale):
        if stored.startswith(start) and (found := pattern.match(stored)):
            values = {k: _one(v, locale, inner=True) or v for k, v in found.groupdict().items()}  # an effect inside
            return i18n.localized(Text(msgid, values), locale)
    return None


def said(stored: str | None) -> str:
    """`stored` in the reader's language; a `; `-joined text part by part when it is not one message."""
    if not stored:
        return stored or ""
    locale = current()
    if i18n.supported(locale) in (None, i18n.DEFAULT_LOCALE):
        return str(stored)
    whole = _one(str(stored), locale)
    if whole is not None:
        return whole
    return "; ".join(_one(part, locale) or part for part in str(stored).split("; "))
