"""Read one delivery report or complaint: who failed, why (reason and class), which server said so, which email.

Order: an Amazon SES notice (JSON), then an ARF complaint, then a delivery report (RFC 3464 fields
from the report part, or from raw text when the MIME structure is broken), then each MTA's text.
A report whose every recipient was delivered, relayed or expanded (2.x.x) is a success: None.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from email.message import Message

from sequencer.inbound.bounces import arf, sns
from sequencer.inbound.bounces.detect import is_report, parts, report_part
from sequencer.inbound.bounces.fields import ENHANCED, Failure, failures, part_blocks, raw_failures
from sequencer.inbound.bounces.formats import diagnostic_line, mta_of
from sequencer.inbound.bounces.recipients import from_text, keep, notice_only
from sequencer.inbound.bounces.taxonomy import HARD, REASONS, SENDER, SOFT, class_of, reason_for, reason_from_words
from sequencer.inbound.parse import Parsed, message_ids, part_text

_SUCCESS = ("delivered", "relayed", "expanded", "deliverable")
_SMTP_CODE = re.compile(r"(?<![\d.#\w])([245])\d\d(?=[ -]|$)", re.M)
_RETRYING = re.compile(r"will (be )?retr(y|ied)|still (being )?(retried|trying)|has not yet been delivered|"
                       r"delayed|will keep trying|temporar(y|ily)|no action is required|deferred", re.I)
_SUCCESS_WORDS = re.compile(r"delivery (to the following recipients )?(was )?successful|successfully delivered|"
                            r"\(success\)|\brelayed\b|delivered to the following|was delivered", re.I)
_DELAY_NOTICE = re.compile(r"delayed|still being retried|warning: (message|could not send)|\(delay\)|this is a warning|"
                           r"will be retried until|will retry for|warning only|not yet been delivered", re.I)
_EMBEDDED_ID = re.compile(r"^\s*Message-ID:\s*(<[^<>\s]+>)", re.I | re.M)
_HEADER_NAMES = ("From", "Sender", "Message-ID", "Received", "X-Mailer", "Reporting-MTA", "X-Report-Abuse",
                 "X-SG-EID", "X-Mailgun-Sid", "X-PM-Message-Id", "X-Sender", "User-Agent")


@dataclass
class Report:
    kind: str  # bounce | complaint | success
    reason: str = "undetermined"
    klass: str = SOFT
    status: str | None = None
    recipients: list[str] = field(default_factory=list)
    diagnostic: str = ""
    action: str | None = None
    mta: str = "unknown"
    original_message_ids: list[str] = field(default_factory=list)
    feedback_type: str | None = None

    @property
    def hard(self) -> bool:
        return self.kind == "bounce" and self.klass == HARD

    @property
    def recipient(self) -> str | None:
        return self.recipients[0] if self.recipients else None

    def as_api(self) -> dict:
        return {"reason": self.reason, "class": self.klass, "status": self.status, "recipient": self.recipient,
                "mta": self.mta}

    def as_detail(self) -> dict:
        return {**self.as_api(), "hard": self.hard, "recipients": self.recipients, "diagnostic": self.diagnostic[:500],
                "action": self.action, "feedback_type": self.feedback_type}


def notification_text(msg: Message) -> str:
    """The report's readable text parts (not the returned message), or the raw body when MIME parsing failed."""
    texts = [part_text(p) for p in parts(msg, into_messages=False)
             if p.get_content_maintype() == "text" and p.get_content_type() != "text/rfc822-headers"]
    if not texts or (msg.get_content_maintype() == "multipart" and not msg.is_multipart()):
        texts.append(part_text(msg))  # no text part, or a multipart whose boundary never came: the raw body
    return "\n".join(texts)[:100_000]


def _headers(msg: Message) -> str:
    return "\n".join(f"{name}: {value}" for name in _HEADER_NAMES for value in (msg.get_all(name) or [])[:3])


def originals(msg: Message, text: str) -> list[str]:
    found = [i for headers in arf.returned_headers(msg) for i in message_ids(str(headers.get("Message-ID") or ""))]
    own = message_ids(str(msg.get("Message-ID") or ""))
    found += [i for i in _EMBEDDED_ID.findall(text) if i not in own]
    return list(dict.fromkeys(found))


def _from_ses(notice: sns.SesNotice, msg: Message) -> Report:
    if notice.kind == "complaint":
        return Report("complaint", reason="spam", klass="complaint", recipients=notice.recipients, mta="amazon_ses",
                      original_message_ids=notice.message_ids, feedback_type=notice.feedback_type)
    if notice.kind in ("delivery", "delay"):
        kind = "success" if notice.kind == "delivery" else "bounce"
        return Report(kind, reason="undetermined", recipients=notice.recipients, mta="amazon_ses", action="delayed",
                      original_message_ids=notice.message_ids)
    status = (ENHANCED.search(notice.status or "") or ENHANCED.search(notice.diagnostic))
    status_code = status.group(0) if status else None
    reason = (reason_from_words(notice.diagnostic) or sns.SUBTYPES.get(notice.bounce_subtype.lower())
              or reason_for(status_code, notice.diagnostic))
    temporary = notice.bounce_type.lower() == "transient" or bool(status_code and status_code.startswith("4"))
    klass = class_of(reason, temporary)
    if notice.bounce_type.lower() == "permanent" and reason == "undetermined":
        klass = HARD
    return Report("bounce", reason=reason, klass=klass, status=status_code, recipients=notice.recipients,
                  diagnostic=notice.diagnostic, mta="amazon_ses", original_message_ids=notice.message_ids)


def _complaint(msg: Message, fields: dict[str, str], text: str, ours: set[str]) -> Report:
    returned = arf.returned_headers(msg)
    return Report("complaint", reason="spam", klass="complaint",
                  recipients=arf.complainer(fields, returned, ours, text),
                  mta=mta_of(_headers(msg) + "\n" + fields.get("user-agent", "") + "\n" +
                             fields.get("reporting-mta", ""), notice_only(text)),
                  original_message_ids=originals(msg, text), feedback_type=(fields.get("feedback-type") or "abuse").lower())


def _temporary(failure: Failure | None, status: str | None, diagnostic: str, notice: str) -> bool:
    if failure is not None and failure.action == "delayed":
        return True
    if status:
        return status.startswith("4")
    code = _SMTP_CODE.search(diagnostic) or _SMTP_CODE.search(notice)
    if code:
        return code.group(1) == "4" or bool(_RETRYING.search(notice[:3000]))
    return bool(_RETRYING.search(notice[:3000]))


def _bounce(parsed: Parsed, msg: Message, text: str, ours: set[str]) -> Report | None:
    report = report_part(msg)
    listed = failures(part_blocks(report)) if report is not None else raw_failures(text)
    failed = [f for f in listed if f.action not in _SUCCESS and not (f.status or "").startswith("2")]
    if listed and not failed:
        return Report("success", mta=mta_of(_headers(msg), notice_only(text)))
    notice = notice_only(text)
    if not listed and _SUCCESS_WORDS.search(parsed.subject + "\n" + notice[:2000]) and not _SMTP_CODE.search(notice):
        return Report("success", mta=mta_of(_headers(msg), notice_only(text)))
    first = failed[0] if failed else None
    diagnostic = (first.diagnostic if first else "") or diagnostic_line(notice)
    status = (first.status if first else None) or _status_in(diagnostic) or _status_in(notice[:20_000])
    if status and status.startswith("2"):
        status = None
    recipients = [f.recipient for f in failed if f.recipient and keep(f.recipient, ours)]
    recipients = list(dict.fromkeys(recipients)) or from_text(msg, text, ours)
    reason = reason_for(status, diagnostic, notice)
    if first is not None and first.action == "failed" and (status or "").startswith("4") and REASONS[reason] != SENDER:
        reason = "expired"  # a temporary failure reported as final: the sending MTA gave up retrying
    temporary = _temporary(first, status, diagnostic, notice)
    klass = SOFT if first is not None and first.action == "delayed" else class_of(reason, temporary)
    if klass == HARD and _DELAY_NOTICE.search(f"{parsed.subject}\n{notice[:3000]}"):
        klass = SOFT  # a delay warning never suppresses, whatever code it quotes
    mta = mta_of(_headers(msg), notice)
    return Report("bounce", reason=reason, klass=klass, status=status, recipients=recipients,
                  diagnostic=diagnostic, action=first.action if first else None,
                  mta="rfc3464" if mta == "unknown" and listed else mta, original_message_ids=originals(msg, text))


def _status_in(text: str) -> str | None:
    found = ENHANCED.search(text)
    return found.group(0) if found else None


def read_report(parsed: Parsed, ours: set[str] | frozenset[str] = frozenset()) -> Report | None:
    """The report in `parsed` (bounce, complaint or success), or None when it is not one."""
    msg = parsed.message
    if msg is None:
        return None
    ours = {o.lower() for o in ours} | {a for a in [parsed.from_address] if a and not keep(a, set())}
    text = notification_text(msg)
    notice = sns.read(text) if '"' in text and ("notificationType" in text or "eventType" in text) else None
    if notice is not None:
        return _from_ses(notice, msg)
    if not is_report(parsed, text):
        return None
    fields = arf.feedback_fields(msg, report_part(msg), text)
    if fields is not None:
        return _complaint(msg, fields, text, ours | set(parsed.to))
    return _bounce(parsed, msg, text, ours | set(parsed.to))
