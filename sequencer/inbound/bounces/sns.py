"""Amazon SES notifications delivered by email through SNS: a JSON document, not a DSN.

The SNS envelope's footer ("... to unsubscribe ...") is SNS's, never the prospect's words: a
notification is read here and never reaches the unsubscribe rule.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

_START = re.compile(r"\{\s*\"(Type|notificationType|eventType|Message|bounce|complaint|mail)\"")


@dataclass
class SesNotice:
    kind: str  # bounce | complaint | delivery
    bounce_type: str = ""
    bounce_subtype: str = ""
    recipients: list[str] = field(default_factory=list)
    status: str | None = None
    diagnostic: str = ""
    message_ids: list[str] = field(default_factory=list)
    feedback_type: str | None = None


def _json_in(text: str) -> dict | None:
    found = _START.search(text)
    if not found:
        return None
    try:
        value, _ = json.JSONDecoder().raw_decode(text[found.start():])
    except ValueError:
        return None
    if isinstance(value, dict) and isinstance(value.get("Message"), str):  # the SNS envelope
        try:
            inner = json.loads(value["Message"])
        except ValueError:
            return None
        return inner if isinstance(inner, dict) else None
    return value if isinstance(value, dict) else None


def _strs(items: object, key: str) -> list[str]:
    return [str(i.get(key)).lower() for i in items if isinstance(i, dict) and i.get(key)] if isinstance(items, list) else []


def read(text: str) -> SesNotice | None:
    """The SES notice in `text`, or None when there is none."""
    doc = _json_in(text)
    if doc is None:
        return None
    kind = str(doc.get("notificationType") or doc.get("eventType") or "").lower()
    found = doc.get("mail")
    mail: dict = found if isinstance(found, dict) else {}
    ids = [f"<{mail['messageId']}>"] if mail.get("messageId") else []
    for header in mail.get("headers") or []:
        if isinstance(header, dict) and str(header.get("name", "")).lower() == "message-id":
            ids.append(str(header.get("value")))
    if kind == "bounce" and isinstance(doc.get("bounce"), dict):
        bounce = doc["bounce"]
        people = bounce.get("bouncedRecipients") or []
        first = people[0] if people and isinstance(people[0], dict) else {}
        return SesNotice("bounce", str(bounce.get("bounceType", "")), str(bounce.get("bounceSubType", "")),
                         _strs(people, "emailAddress"), first.get("status"), str(first.get("diagnosticCode") or ""),
                         ids)
    if kind == "complaint" and isinstance(doc.get("complaint"), dict):
        complaint = doc["complaint"]
        return SesNotice("complaint", recipients=_strs(complaint.get("complainedRecipients"), "emailAddress"),
                         message_ids=ids, feedback_type=complaint.get("complaintFeedbackType") or "abuse")
    if kind in ("delivery", "send", "open", "click", "deliverydelay"):
        return SesNotice("delivery" if kind != "deliverydelay" else "delay", message_ids=ids,
                         recipients=_strs((doc.get("deliveryDelay") or {}).get("delayedRecipients"), "emailAddress"))
    return None


# SES bounce types → our reasons when the diagnostic says nothing more precise
SUBTYPES = {"general": None, "noemail": "user_unknown", "suppressed": "user_unknown",
            "onaccountsuppressionlist": "user_unknown", "mailboxfull": "mailbox_full",
            "messagetoolarge": "too_large", "contentrejected": "content", "attachmentrejected": "content",
            "undetermined": "undetermined"}
