"""The failed recipient only: never a Message-ID, a header fragment, a daemon or one of our own mailboxes."""
from __future__ import annotations

import re
from email.message import Message

from sequencer.inbound.bounces.arf import returned_headers
from sequencer.inbound.bounces.formats import recipients_in_lines
from sequencer.inbound.parse import decoded_header

_ADDR = re.compile(r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
_DAEMONISH = re.compile(r"^(mailer-daemon|postmaster|mail-daemon|mailerdaemon|mdaemon|abuse|bounces?|no-?reply|"
                        r"double-bounce|root|nobody)@|bounces?[-+.]|@(sns\.amazonaws\.com|bounces?\.)", re.I)
# lines whose addresses are never the failed recipient
_NOISE_LINE = re.compile(r"^\s*(message-id|in-reply-to|references|received|dkim-signature|authentication-results|"
                         r"arc-[\w-]+|x-[\w-]+|return-path|from|sender|reply-to|list-[\w-]+|reporting-mta|"
                         r"remote-mta|received-from-mta|x-postfix-sender|original-mail-from|errors-to)\s*:.*$"
                         r"(\n[ \t]+.*$)*", re.I | re.M)
_FRAGMENT = re.compile(r"[\w.-]+=[\"<]?[^\s;\"<>]*@[^\s;\">]*|\b(?:message-?id|id)\s*[:=]?\s*<[^>]+>", re.I)
_ORIGINAL_MARK = re.compile(r"^(-+ ?(original message|this is a copy|undelivered message|returned message)|"
                            r"content-type: (message/rfc822|text/rfc822-headers)|-+ ?(Below this line|The header)).*$",
                            re.I | re.M)


def keep(address: str, ours: set[str]) -> bool:
    address = address.lower()
    return "@" in address and address not in ours and not _DAEMONISH.search(address) and len(address) <= 254


def notice_only(text: str) -> str:
    """The notification's own words: what comes before the returned copy of our message."""
    found = _ORIGINAL_MARK.search(text)
    return text[:found.start()] if found else text


def _scrub(text: str) -> str:
    return _FRAGMENT.sub(" ", _NOISE_LINE.sub(" ", text))


def from_text(msg: Message, text: str, ours: set[str]) -> list[str]:
    """X-Failed-Recipients, each MTA's recipient lines, the returned message's To, else the first plain address."""
    listed = [a.strip().strip("<>").lower() for a in decoded_header(msg, "X-Failed-Recipients").split(",")]
    listed = [a for a in listed if keep(a, ours)]
    if listed:
        return list(dict.fromkeys(listed))
    notice = _scrub(notice_only(text))[:20_000]
    lines = [a for a in recipients_in_lines(notice) if keep(a, ours)]
    if lines:
        return lines[:1] if len(lines) > 3 else lines
    for headers in returned_headers(msg):
        to = [a.lower() for a in _ADDR.findall(decoded_header(headers, "To")) if keep(a, ours)]
        if to:
            return to[:1]
    embedded = re.search(r"^To:[^\n]*?(" + _ADDR.pattern + ")", text, re.M | re.I)
    if embedded and keep(embedded.group(1), ours):
        return [embedded.group(1).lower()]
    plain = [a for a in _ADDR.findall(notice) if keep(a, ours)]
    return plain[:1]
