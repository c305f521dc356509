"""RFC 3464 / RFC 5965 field blocks, from a parsed report part or from raw text when MIME parsing failed."""
from __future__ import annotations

import re
from dataclasses import dataclass
from email.message import Message

from sequencer.inbound.parse import part_text

_FIELD = re.compile(r"^([A-Za-z][A-Za-z0-9-]*)[ \t]*:[ \t]*(.*)$")
ENHANCED = re.compile(r"(?<![\w.])([245])\.(\d{1,3})\.(\d{1,3})(?![\w.])")
_RECIPIENT_FIELDS = ("final-recipient", "original-recipient", "x-actual-recipient")


@dataclass
class Failure:
    """One recipient's block of a delivery report."""

    recipient: str | None
    action: str | None
    status: str | None
    diagnostic: str
    remote_mta: str


def blocks(text: str) -> list[dict[str, str]]:
    """Header-like blocks separated by blank lines; field names lower-cased, continuation lines folded in."""
    out: list[dict[str, str]] = []
    current: dict[str, str] = {}
    last = None
    for line in text.replace("\r\n", "\n").split("\n"):
        if not line.strip():
            if current:
                out.append(current)
            current, last = {}, None
            continue
        if line[0] in " \t" and last:
            current[last] += " " + line.strip()
            continue
        found = _FIELD.match(line)
        if found:
            last = found.group(1).lower()
            current.setdefault(last, found.group(2).strip())
    if current:
        out.append(current)
    return out


def part_blocks(part: Message) -> list[dict[str, str]]:
    """The field blocks of a message/delivery-status or message/feedback-report part."""
    payload = part.get_payload()
    if isinstance(payload, list):
        return [{k.lower(): re.sub(r"\s+", " ", str(v)).strip() for k, v in p.items()}
                for p in payload if isinstance(p, Message)]
    return blocks(part_text(part))


def address(value: str | None) -> str | None:
    """`rfc822; <a@b>` → `a@b` (any address type; None when there is no address)."""
    if not value:
        return None
    value = value.split(";", 1)[-1].strip().strip("<>").strip().lower()
    value = value.split()[0].strip("<>\"'") if value else value
    return value if value and "@" in value and " " not in value else None


def status_code(value: str | None) -> str | None:
    found = ENHANCED.search(value or "")
    return found.group(0) if found else None


def failures(field_blocks: list[dict[str, str]]) -> list[Failure]:
    """The per-recipient blocks (those naming a recipient or an action)."""
    out = []
    for block in field_blocks:
        recipient = next((address(block.get(f)) for f in _RECIPIENT_FIELDS if address(block.get(f))), None)
        if recipient is None and "action" not in block and "status" not in block:
            continue
        out.append(Failure(recipient=recipient, action=(block.get("action") or "").lower().split()[0] or None
                           if block.get("action") else None,
                           status=status_code(block.get("status")),
                           diagnostic=block.get("diagnostic-code", ""), remote_mta=block.get("remote-mta", "")))
    return out


def raw_failures(text: str) -> list[Failure]:
    """DSN fields found in plain text: a broken boundary, or a report pasted into a text part."""
    if not re.search(r"^(final-recipient|original-recipient)\s*:", text, re.I | re.M):
        return []
    return failures(blocks(text))
