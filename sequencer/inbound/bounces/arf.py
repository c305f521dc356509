"""Spam complaints (RFC 5965 Abuse Reporting Format, also Microsoft JMRP and Yahoo/AOL feedback loops).

The complainer is `Original-Rcpt-To`, else the `To` of the returned message (our own email), never
one of our mailboxes; the returned message's Message-ID ties the complaint to the email we sent.
"""
from __future__ import annotations

import re
from email.message import Message
from email.parser import HeaderParser

from sequencer.inbound.bounces.fields import address, blocks, part_blocks
from sequencer.inbound.parse import decoded_header, part_text

_ADDR = re.compile(r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")


def feedback_fields(msg: Message, report: Message | None, text: str) -> dict[str, str] | None:
    """The feedback-report fields, from the part or from raw text; None when this is no complaint."""
    if report is not None and report.get_content_type() == "message/feedback-report":
        merged: dict[str, str] = {}
        for block in part_blocks(report):
            merged.update({k: v for k, v in block.items() if k not in merged})
        return merged
    report_type = str(msg.get_param("report-type") or "").lower() if msg.get_content_type() == "multipart/report" else ""
    if report_type == "feedback-report" or re.search(r"^feedback-type\s*:", text, re.I | re.M):
        merged = {}
        for block in blocks(text):
            if "feedback-type" in block or "user-agent" in block or "original-rcpt-to" in block:
                merged.update({k: v for k, v in block.items() if k not in merged})
        return merged or None
    return None


def returned_headers(msg: Message) -> list[Message]:
    """The header blocks of returned messages (message/rfc822 or text/rfc822-headers parts)."""
    found: list[Message] = []
    for part in msg.walk():
        ctype = part.get_content_type()
        if ctype == "message/rfc822":
            payload = part.get_payload()
            if isinstance(payload, list) and payload and isinstance(payload[0], Message):
                found.append(payload[0])
        elif ctype == "text/rfc822-headers":
            found.append(HeaderParser().parsestr(part_text(part)))
    return found


def complainer(fields: dict[str, str], returned: list[Message], ours: set[str], text: str = "") -> list[str]:
    """Who complained: Original-Rcpt-To, else the returned message's To, else a To line in raw text (ours never)."""
    direct = [a for a in (address(v) for v in fields.get("original-rcpt-to", "").split(",")) if a]
    if not direct:
        for headers in returned:
            direct += [a.lower() for a in _ADDR.findall(decoded_header(headers, "To"))]
    if not direct:  # a broken MIME structure: the returned headers are plain text
        for line in re.findall(r"^To:(.*)$", text, re.M | re.I):
            direct += [a.lower() for a in _ADDR.findall(line)]
    return [a for a in dict.fromkeys(direct) if a not in ours]
