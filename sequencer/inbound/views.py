"""Read-side views of stored inbound messages for the API and the pages."""
from __future__ import annotations

from sequencer.inbound.parse import parse
from sequencer.models import InboundMessage


def readable_text(row: InboundMessage) -> str:
    """The message body as text, for display (escaped by whoever renders it)."""
    parsed = parse(row.raw)
    if parsed.parsed:
        return parsed.text
    return row.raw[:20_000].decode("utf-8", errors="replace")
