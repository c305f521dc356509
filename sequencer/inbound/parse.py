"""Read a raw inbound message defensively: any bytes in, the parts the classifier needs out, never an exception."""
from __future__ import annotations

import email
import hashlib
import re
from dataclasses import dataclass, field
from datetime import datetime
from email.header import decode_header, make_header
from email.message import Message
from email.parser import BytesHeaderParser
from email.utils import getaddresses, parseaddr, parsedate_to_datetime

import html2text

from sequencer.inbound.quotes import new_text

_MSGID = re.compile(r"<[^<>\s]+>")
_SINGLE_BYTE = re.compile(r"^(us-ascii|ascii|iso-8859-\d+|latin[-_]?\d|windows-125\d|cp125\d)$", re.I)
_KNOWN_HEADERS = ("from", "to", "subject", "date", "message-id", "received", "return-path")
_JUNK = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")  # control characters other than \t \r \n
MAX_TEXT = 200_000  # characters of body text kept for rules and display; the raw message keeps the rest


@dataclass
class Parsed:
    """What the classifier reads; `parsed` is False when the bytes had no recognisable header block."""

    parsed: bool
    message_id: str | None = None
    from_address: str | None = None
    from_name: str = ""
    to: list[str] = field(default_factory=list)
    subject: str = ""
    date: datetime | None = None
    in_reply_to: list[str] = field(default_factory=list)
    references: list[str] = field(default_factory=list)
    text: str = ""          # the whole readable body
    reply_text: str = ""    # what the sender wrote, quoted history removed
    message: Message | None = None

    def header(self, name: str) -> str:
        return decoded_header(self.message, name) if self.message is not None else ""


def decoded_header(msg: Message, name: str) -> str:
    """A header as text: RFC 2047 decoded, control characters dropped, '' when absent or undecodable."""
    raw = msg.get(name)
    if raw is None:
        return ""
    try:
        value = str(make_header(decode_header(str(raw))))
    except Exception:  # noqa: BLE001 - a broken encoded-word must not lose the header
        value = str(raw)
    return re.sub(r"[\x00-\x08\x0b-\x1f\x7f]", "", value).replace("\n", " ").replace("\r", "").strip()


def message_ids(value: str) -> list[str]:
    return _MSGID.findall(value or "")


def fallback_message_id(raw: bytes) -> str:
    """Messages without a Message-ID still get a stable key, so ingesting them twice stores one row."""
    return f"<sha256.{hashlib.sha256(raw).hexdigest()}@inbound.invalid>"


def peek_message_id(raw: bytes) -> str | None:
    """The Message-ID from the header block alone (cheap: the body is not parsed)."""
    try:
        headers = BytesHeaderParser().parsebytes(raw[:256 * 1024])
        found = message_ids(decoded_header(headers, "Message-ID"))
    except Exception:  # noqa: BLE001
        return None
    return found[0][:998] if found else None


def _charset_candidates(part: Message, payload: bytes) -> list[str]:
    declared = (part.get_content_charset() or "").strip().lower()
    order = []
    if not payload.isascii() and (not declared or _SINGLE_BYTE.match(declared)):
        order.append("utf-8")  # a valid UTF-8 byte sequence is almost never meant as Latin-1: trust the bytes
    if declared:
        order.append(declared)
    order += ["utf-8", "windows-1252"]
    return order


def part_text(part: Message) -> str:
    payload = part.get_payload(decode=True)
    if not isinstance(payload, bytes):  # None: a multipart part, or nothing to decode
        text = part.get_payload()
        return text if isinstance(text, str) else ""
    for charset in _charset_candidates(part, payload):
        try:
            return payload.decode(charset)
        except (LookupError, UnicodeDecodeError):
            continue
    return payload.decode("utf-8", errors="replace")


def html_to_text(html: str) -> str:
    converter = html2text.HTML2Text(bodywidth=0)
    converter.ignore_images = converter.ignore_emphasis = converter.ignore_tables = True
    converter.ignore_links = True
    try:
        return converter.handle(html)
    except Exception:  # noqa: BLE001 - broken markup: fall back to stripping tags
        return re.sub(r"<[^>]+>", " ", html)


def _damaged(part: Message, text: str) -> bool:
    """A decoded part that is mostly control characters, or whose transfer encoding was broken."""
    if any("Base64" in type(d).__name__ for d in part.defects):
        return True
    sample = text[:2000]
    junk = len(_JUNK.findall(sample))
    return bool(sample) and junk / len(sample) > 0.05


def body_text(msg: Message) -> str:
    """The first text/plain part outside attachments and embedded messages, else the first HTML one as text."""
    plain = html = None
    stack = [msg]
    while stack:
        part = stack.pop(0)
        ctype = part.get_content_type()
        if part.is_multipart():
            if ctype == "message/rfc822" or part is not msg and ctype.startswith("message/"):
                continue
            payload = part.get_payload()
            stack[0:0] = [p for p in payload if isinstance(p, Message)] if isinstance(payload, list) else []
            continue
        if (part.get("Content-Disposition") or "").lower().startswith("attachment"):
            continue
        if ctype == "text/plain" and plain is None:
            plain = part_text(part)
            if _damaged(part, plain):
                plain = None  # e.g. broken base64: the HTML alternative may still be readable
        elif ctype == "text/html" and html is None:
            html = part_text(part)
    if plain and plain.strip():
        return plain[:MAX_TEXT]
    if html:
        return html_to_text(html[:MAX_TEXT * 2])[:MAX_TEXT]
    if not msg.is_multipart() and msg.get_content_maintype() in ("text", "multipart"):
        return part_text(msg)[:MAX_TEXT]  # a multipart whose boundary is missing: its body is still readable
    return ""


def _date(msg: Message) -> datetime | None:
    try:
        value = parsedate_to_datetime(decoded_header(msg, "Date"))
    except (TypeError, ValueError, IndexError):
        return None
    return value if value.tzinfo else None


def parse(raw: bytes) -> Parsed:
    try:
        msg = email.message_from_bytes(raw)
    except Exception:  # noqa: BLE001
        return Parsed(parsed=False)
    if not any(msg.get(h) is not None for h in _KNOWN_HEADERS):
        return Parsed(parsed=False, message=msg)
    name, raw_address = parseaddr(decoded_header(msg, "From"))
    address = raw_address.strip().lower() if "@" in raw_address else None
    to = [a.strip().lower() for _, a in getaddresses([decoded_header(msg, "To"), decoded_header(msg, "Cc")]) if "@" in a]
    text = body_text(msg)
    ids = message_ids(decoded_header(msg, "Message-ID"))
    return Parsed(
        parsed=True, message_id=ids[0] if ids else None, from_address=address, from_name=name, to=to,
        subject=decoded_header(msg, "Subject")[:2000], date=_date(msg),
        in_reply_to=message_ids(decoded_header(msg, "In-Reply-To")),
        references=message_ids(decoded_header(msg, "References")),
        text=text, reply_text=new_text(text), message=msg,
    )
