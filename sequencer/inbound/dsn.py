"""Recognise delivery failure reports and read who bounced, how badly, and which of our messages it was.

Standard reports (RFC 3464 multipart/report; report-type=delivery-status) are read field by field.
The common non-standard ones (Exim, qmail, older Exchange, Gmail's text) are recognised by their
sender and subject and read with the patterns below. Hard or soft comes from the enhanced status
code (RFC 3463: 5.x.x hard, 4.x.x soft), else the SMTP reply code, else "Action: delayed" or wording
about retrying (soft); a failure report with no code at all counts as soft, so a wrong guess never
suppresses a working address (three soft bounces in a row count as hard anyway).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from email.message import Message
from email.parser import HeaderParser
from email.utils import collapse_rfc2231_value

from sequencer.inbound.parse import Parsed, decoded_header, message_ids, part_text

_DAEMON = re.compile(r"^(mailer-daemon|postmaster|mail-daemon|mailerdaemon|mdaemon)@", re.I)
_SUBJECT = re.compile(
    r"undeliver|undelivered|delivery (status notification|failure|has failed|failed|problem)|returned mail|"
    r"failure notice|mail delivery (failed|failure|system)|could not be delivered|non[- ]?delivery|"
    r"unzustellbar|nicht zustellbar|nepristatyt", re.I)
_ENHANCED = re.compile(r"(?<![\d.])([245])\.(\d{1,3})\.(\d{1,3})(?![\d.])")
_SMTP_CODE = re.compile(r"(?<![\d.#])([45])\d\d(?:[ -]|$)", re.M)
_RETRY = re.compile(r"will (be )?retr(y|ied)|delayed|temporar|has not yet been delivered|still trying", re.I)
_ADDRESS = re.compile(r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
_EMBEDDED_ID = re.compile(r"^\s*Message-ID:\s*(<[^<>\s]+>)", re.I | re.M)
_QMAIL_RECIPIENT = re.compile(r"^<([^<>\s]+@[^<>\s]+)>:\s*$", re.M)


@dataclass
class Bounce:
    hard: bool
    status: str | None = None
    recipients: list[str] = field(default_factory=list)
    diagnostic: str = ""
    original_message_ids: list[str] = field(default_factory=list)
    action: str | None = None

    def as_detail(self) -> dict:
        return {"hard": self.hard, "status": self.status, "recipients": self.recipients,
                "diagnostic": self.diagnostic[:500], "action": self.action}


def _parts(msg: Message, into_messages: bool = True):
    yield msg
    if msg.is_multipart() and (into_messages or not msg.get_content_type().startswith("message/")):
        for part in msg.get_payload():
            if isinstance(part, Message):
                yield from _parts(part, into_messages)


class _Delivered(Exception):
    """The report says the message was delivered: not a bounce."""


def _field_blocks(part: Message) -> list[Message]:
    """message/delivery-status: a list of header blocks (compat32 parses them; text is re-parsed)."""
    payload = part.get_payload()
    if isinstance(payload, list):
        return [p for p in payload if isinstance(p, Message)]
    text = part_text(part)
    return [HeaderParser().parsestr(block) for block in re.split(r"\r?\n\s*\r?\n", text) if block.strip()]


def _address_field(value: str) -> str | None:
    value = value.split(";", 1)[-1].strip().strip("<>").lower()
    return value if "@" in value else None


def _standard(msg: Message) -> Bounce | None:
    for part in _parts(msg):
        if part.get_content_type() != "message/delivery-status":
            continue
        bounce = Bounce(hard=False)
        for block in _field_blocks(part):
            recipient = _address_field(decoded_header(block, "Final-Recipient")) or \
                _address_field(decoded_header(block, "Original-Recipient"))
            if recipient and recipient not in bounce.recipients:
                bounce.recipients.append(recipient)
            action = decoded_header(block, "Action").lower() or None
            status = decoded_header(block, "Status")
            bounce.action = bounce.action or action
            found = _ENHANCED.search(status or "")
            if found and not bounce.status:
                bounce.status = found.group(0)
            bounce.diagnostic = bounce.diagnostic or decoded_header(block, "Diagnostic-Code")
        if bounce.action in ("delivered", "relayed", "expanded"):
            raise _Delivered
        return bounce
    return None


def _severity(bounce: Bounce, text: str) -> None:
    if bounce.action == "delayed":
        bounce.hard = False
        return
    if not bounce.status:
        found = _ENHANCED.search(f"{bounce.diagnostic}\n{text}")
        bounce.status = found.group(0) if found else None
    if bounce.status:
        bounce.hard = bounce.status.startswith("5")
        return
    code = _SMTP_CODE.search(f"{bounce.diagnostic}\n{text}")
    bounce.hard = bool(code and code.group(1) == "5") and not _RETRY.search(text)


def _originals(msg: Message, text: str) -> list[str]:
    found: list[str] = []
    for part in _parts(msg):
        ctype = part.get_content_type()
        if ctype == "message/rfc822" and part.is_multipart():
            inner = part.get_payload()[0]
            found += message_ids(decoded_header(inner, "Message-ID"))
        elif ctype == "text/rfc822-headers":
            found += message_ids(decoded_header(HeaderParser().parsestr(part_text(part)), "Message-ID"))
    found += _EMBEDDED_ID.findall(text)
    return list(dict.fromkeys(found))


def _text_recipients(parsed: Parsed, text: str) -> list[str]:
    listed = [a.strip().lower() for a in parsed.header("X-Failed-Recipients").split(",") if "@" in a]
    listed += [a.lower() for a in _QMAIL_RECIPIENT.findall(text)]
    ours = set(parsed.to) | {parsed.from_address or ""}
    listed += [a.lower() for a in _ADDRESS.findall(text[:5000]) if not _DAEMON.match(a) and a.lower() not in ours]
    return list(dict.fromkeys(listed))


def looks_like_bounce(parsed: Parsed) -> bool:
    if parsed.message is None:
        return False
    ctype = parsed.message.get_content_type()
    param = parsed.message.get_param("report-type") if ctype == "multipart/report" else None
    report = collapse_rfc2231_value(param).lower() if param else ""  # an RFC 2231 value comes as a tuple
    if report == "delivery-status":
        return True
    sender = parsed.from_address or ""
    return bool(_DAEMON.match(sender) and (_SUBJECT.search(parsed.subject) or parsed.header("X-Failed-Recipients"))) \
        or bool(_SUBJECT.search(parsed.subject) and decoded_header(parsed.message, "Return-Path") == "<>")


def read_bounce(parsed: Parsed) -> Bounce | None:
    """The failure report in `parsed`, or None when it is not one."""
    msg = parsed.message
    if msg is None or not looks_like_bounce(parsed):
        return None
    full_text = "\n".join(part_text(p) for p in _parts(msg, into_messages=False)
                          if p.get_content_maintype() == "text" and p.get_content_type() != "text/rfc822-headers")
    full_text = full_text[:100_000]
    try:
        bounce = _standard(msg) or Bounce(hard=False)
    except _Delivered:
        return None
    if not bounce.recipients:
        bounce.recipients = _text_recipients(parsed, full_text)
    if not bounce.diagnostic:
        code = _ENHANCED.search(full_text) or _SMTP_CODE.search(full_text)
        if code:
            line_start = full_text.rfind("\n", 0, code.start()) + 1
            line_end = full_text.find("\n", code.end())
            bounce.diagnostic = full_text[line_start:line_end if line_end != -1 else None].strip()
    _severity(bounce, full_text)
    bounce.original_message_ids = _originals(msg, full_text)
    return bounce
