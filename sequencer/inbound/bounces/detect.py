"""Is this a delivery report or a complaint? Many signals, none required: real reports lack any one of them.

A report part anywhere in the MIME tree decides at once. Otherwise a null or daemon sender,
`X-Failed-Recipients`, `Auto-Submitted` or a report-like subject must agree with the body's words
(each MTA's opening sentence, or DSN fields in raw text when the MIME structure is broken).
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from email.message import Message

from sequencer.inbound.parse import Parsed, decoded_header

REPORT_TYPES = ("message/delivery-status", "message/global-delivery-status", "message/feedback-report")
_DAEMON = re.compile(r"^(mailer[-_]?daemon|postmaster|mail[-_]?daemon|mdaemon|mail[-_]?delivery[-_]?(system|subsystem)?|"
                     r"bounces?|bounce[-+][^@]*|mailer|mail[-_]?admin|nobody|no[-_]?reply[-_]?bounce|"
                     r"complaints?|abuse|fbl|feedback[-_]?loop|scomp|staff|arf|fblreport)@", re.I)
_DAEMON_NAME = re.compile(r"mailer[-_ ]?daemon|mail delivery (system|subsystem)|postmaster|mail administrator|"
                          r"delivery status notification|microsoft outlook|mail delivery", re.I)
SUBJECT = re.compile(
    r"undeliver|undelivered|delivery (status|failure|has failed|failed|problem|notification|report|incomplete|delayed)|"
    r"returned (mail|to sender)|failure notice|mail delivery (failed|failure|system|error|problem)|could not be delivered|"
    r"non[- ]?deliver|not delivered|delayed mail|message (delayed|not delivered|delivery failed|blocked)|"
    r"warning: message .* delayed|delivery delayed|unzustellbar|nicht zustellbar|nepristatyt|returned mail|"
    r"mail system error|rejected:|delivery notification|notice of delivery|failed delivery|"
    r"配信|不達|エラー|送信エラー|unable to deliver|delivery final|mail could not be delivered|"
    r"abuse report|complaint|feedback report|spam report|scomp|\bNDR\b|security (policy|alert).*(blocked|message)|"
    r"quarantin|message (was )?(rejected|blocked)|blocked by|delivery failure|failure delivery|"
    r"fehlgeschlagen|übermittlungsstatus|non remis|échec de (la )?remise|no entregado", re.I)
SIGNATURE = re.compile(
    r"^\s*(reporting-mta|final-recipient|original-recipient|feedback-type|arrival-date)\s*:|"
    r"this is the mail system at host|created automatically by mail delivery software|"
    r"this is the qmail-send program|i'm sorry to have to inform you|delivery has failed to these recipients|"
    r"your message (to .{1,200} )?(couldn't|could not|wasn't|was not|did not|didn't) (be )?(deliver|reach)|"
    r"delivery to the following recipients? failed|sorry, we were unable to deliver your message|"
    r"the following (message|addresses|recipients?) (to .{1,200})?(had permanent fatal errors|"
    r"was undeliverable|could not be delivered|did not receive|failed|cannot be reached)|"
    r"(could not|can ?not|was not|wasn't|were not) (be )?delivered to|message (could not|will not) be delivered|"
    r"\bdelivery (has )?(failed|delayed)\b|has not yet been delivered|undeliverable|"
    r"transcript of session follows|permanent (fatal )?error|notificationtype|\"bounceType\"|"
    r"remote (server|host) (returned|said)|(smtp|remote) error|diagnostic[- ]code|"
    r"failed to deliver|unable to deliver|non-delivery|delivery status notification|was not delivered",
    re.I | re.M)


def parts(msg: Message, into_messages: bool = True) -> Iterator[Message]:
    """Every part, depth first; inside attached messages too unless `into_messages` is False."""
    yield msg
    if not msg.is_multipart():
        return
    if not into_messages and msg.get_content_type().startswith("message/"):
        return
    payload = msg.get_payload()
    for part in payload if isinstance(payload, list) else []:
        if isinstance(part, Message):
            yield from parts(part, into_messages)


def report_part(msg: Message) -> Message | None:
    """The first delivery-status or feedback-report part anywhere outside attached messages."""
    for part in parts(msg, into_messages=False):
        if part.get_content_type() in REPORT_TYPES:
            return part
    return None


def null_sender(parsed: Parsed) -> bool:
    """`<>` in Return-Path or From, a From with no address, or a daemon's address or name."""
    msg = parsed.message
    assert msg is not None
    return_path = decoded_header(msg, "Return-Path").replace(" ", "")
    if return_path in ("<>", "<<>>"):
        return True
    raw_from = decoded_header(msg, "From")
    if raw_from and ("<>" in raw_from.replace(" ", "") or "@" not in raw_from):
        return bool(_DAEMON_NAME.search(raw_from) or "<>" in raw_from.replace(" ", ""))
    sender = parsed.from_address or ""
    return bool(_DAEMON.match(sender) or _DAEMON_NAME.search(parsed.from_name or ""))


def sender_signals(parsed: Parsed) -> int:
    """How many header signals say 'machine-made report': each alone is weak, two agreeing are not."""
    msg = parsed.message
    assert msg is not None
    auto = decoded_header(msg, "Auto-Submitted").lower()
    return sum((null_sender(parsed), bool(auto and not auto.startswith("no")), bool(SUBJECT.search(parsed.subject)),
                bool(decoded_header(msg, "X-Failed-Recipients"))))


def is_report(parsed: Parsed, text: str) -> bool:
    """A delivery report or a complaint, whatever its spelling."""
    msg = parsed.message
    if msg is None:
        return False
    if msg.get_content_type() == "multipart/report" or report_part(msg) is not None:
        return True
    if decoded_header(msg, "X-Failed-Recipients"):
        return True
    signals = sender_signals(parsed)
    if signals >= 2 and (SIGNATURE.search(text) or null_sender(parsed)):
        return True
    return signals >= 1 and bool(SIGNATURE.search(text)) and (null_sender(parsed) or SUBJECT.search(parsed.subject)
                                                               is not None or _sns(text))


def _sns(text: str) -> bool:
    return '"notificationType"' in text or '"eventType"' in text
