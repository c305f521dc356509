"""Read-side views of stored inbound messages for the API and the pages."""
from __future__ import annotations

from sequencer.inbound.parse import parse
from sequencer.models import InboundMessage
from sequencer.platform.serialize import iso


def readable_text(row: InboundMessage) -> str:
    """The message body as text, for display (escaped by whoever renders it)."""
    parsed = parse(row.raw)
    if parsed.parsed:
        return parsed.text
    return row.raw[:20_000].decode("utf-8", errors="replace")


def serialize_inbound(row: InboundMessage, with_text: bool = False) -> dict:
    data = {
        "id": row.id, "message_id": row.message_id, "source": row.source, "mailbox_id": row.mailbox_id,
        "folder": row.folder, "status": row.status.value, "classification": row.classification,
        "sentiment": row.sentiment, "from_address": row.from_address, "subject": row.subject, "size": row.size,
        "truncated": row.truncated, "prospect_id": row.prospect_id, "enrollment_id": row.enrollment_id,
        "step_run_id": row.step_run_id, "resume_at": iso(row.resume_at), "detail": row.detail or {},
        "error": row.error, "received_at": iso(row.received_at), "processed_at": iso(row.processed_at),
    }
    if with_text:
        data["text"] = readable_text(row)
    return data
