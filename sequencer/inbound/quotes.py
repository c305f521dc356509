"""Cut the quoted history off a reply, so rules read what the person wrote and not our own words back.

Mail clients mark the start of the quoted original in a handful of ways; the first line that
matches any of them ends the new text:
- `>`-prefixed lines (Gmail, Apple Mail, Thunderbird, and html2text's rendering of <blockquote>);
- an attribution line: "On <date>, <name> wrote:", "Am <date> schrieb <name>:", "<date>, <name> rašė:"
  (also when the client wrapped it over two lines);
- Outlook's separators: "-----Original Message-----", a row of underscores, or a header block
  "From: ... / Sent: ..." ("Von:/Gesendet:", "Nuo:/Išsiųsta:");
- our own footer ("Don't want to hear from us? Unsubscribe: ..."), which some clients paste unquoted.
"""
from __future__ import annotations

import re

_ATTRIBUTION = re.compile(
    r"^(on\b.{0,300}\bwrote:|am\b.{0,300}\bschrieb\b.{0,200}:|.{0,300}\brašė:|le\b.{0,300}\ba écrit ?:)\s*$",
    re.I,
)
_SEPARATOR = re.compile(r"^(-{2,}\s*(original message|ursprüngliche nachricht|originalus laiškas)\s*-{2,}|_{8,}|-{8,})\s*$",
                        re.I)
_HEADER_START = re.compile(r"^(from|von|nuo|de)\s*:\s*\S", re.I)
_HEADER_NEXT = re.compile(r"^(sent|date|gesendet|datum|išsiųsta|data|envoyé|to|an|kam|subject|betreff|tema)\s*:", re.I)
_OUR_FOOTER = re.compile(r"want to hear from us\?|/u/[A-Za-z0-9_.-]{20,}")
_MARKUP = re.compile(r"^[\s*_#]+|[\s*_]+$")


def _plain(line: str) -> str:
    """A line without html2text's emphasis markers ('**From:** Rita' -> 'From: Rita')."""
    return _MARKUP.sub("", line).replace("**", "")


def quote_start(lines: list[str]) -> int:
    """Index of the first line of quoted history (len(lines) when there is none)."""
    for i, raw in enumerate(lines):
        line = _plain(raw)
        if raw.lstrip().startswith(">") or _SEPARATOR.match(line) or _OUR_FOOTER.search(line):
            return i
        if _ATTRIBUTION.match(line):
            return i
        if i + 1 < len(lines):
            joined = f"{line} {_plain(lines[i + 1])}"
            if line.lower().startswith(("on ", "am ")) and _ATTRIBUTION.match(joined):
                return i
        if _HEADER_START.match(line) and any(_HEADER_NEXT.match(_plain(nxt)) for nxt in lines[i + 1:i + 4]):
            return i
    return len(lines)


def new_text(text: str) -> str:
    """The part of a reply above the quoted history, trimmed."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return "\n".join(lines[:quote_start(lines)]).strip()
