"""Why a delivery failed (a reason) and what that means for us (a class: hard, soft or sender).

The reason is read from the server's own words first (they say "DMARC" or "quota" even when the code
is a generic 5.7.1 or 5.0.0), then from the enhanced status code (RFC 3463), else `undetermined`.
The class is the policy: `hard` (the address is dead), `soft` (retry), `sender` (our mailbox or
domain is refused: the prospect is not touched).
"""
from __future__ import annotations

import re

HARD, SOFT, SENDER = "hard", "soft", "sender"
CLASSES = (HARD, SOFT, SENDER)

REASONS: dict[str, str] = {
    "user_unknown": HARD, "host_unknown": HARD, "moved": HARD,
    "mailbox_full": SOFT, "suspended": SOFT, "rate_limited": SOFT, "expired": SOFT, "network": SOFT,
    "on_hold": SOFT, "undetermined": SOFT,
    "policy": SENDER, "blocked": SENDER, "spam": SENDER, "auth_failure": SENDER, "content": SENDER,
    "too_large": SENDER,
}

PLAIN_WORDS: dict[str, str] = {
    "user_unknown": "the address does not exist", "host_unknown": "the domain does not receive mail",
    "moved": "the person has moved", "mailbox_full": "the mailbox is full", "suspended": "the mailbox is disabled",
    "policy": "refused by the receiving server's policy", "blocked": "our sending IP or domain is blocked",
    "spam": "our message was judged spam", "auth_failure": "SPF/DKIM/DMARC authentication failure",
    "content": "the content was refused", "too_large": "the message is too large",
    "rate_limited": "we are sending too fast", "expired": "delivery was retried until it expired",
    "network": "a network or system error", "on_hold": "the message is held", "undetermined": "unknown",
}

_I = re.I
# the first pattern that fires in the server's words decides (sender problems before address ones:
# Microsoft says "mailbox unavailable" when it blocks us)
_WORDS: list[tuple[str, re.Pattern]] = [
    ("auth_failure", re.compile(
        r"\bdmarc\b|\bdkim\b|\bspf\b|unauthenticated|not authenticated|authentication (checks?|failure|failed)|"
        r"fails? to pass (authentication|sender authentication)|authentication (level|requirements)|sender authentication|sender policy framework|"
        r"[45]\.7\.2[367]\b|sender (domain|address) (does not|doesn't) (exist|resolve)|"
        r"AUP#(?:1200|1260)|\bS3115\b|domain of sender .* does not designate", _I)),
    ("blocked", re.compile(
        r"block ?list|black ?list|spamhaus|barracudacentral|spamcop|sorbs|\brbl\b|dnsbl|reputation|"
        r"reverse (dns|lookup)|\bptr\b|rdns|blocked (using|by (spamhaus|dnsbl|rbl))|(ip|host|address) .{0,40}\bblocked\b|banned|"
        r"(?<!not )listed (at|in|on|by)|\bS3140\b|\bSC-00\d\b|\bDYN:|\bRP-00\d\b|IP addresses .* rejected|"
        r"client host .* (rejected|refused)|poor (ip |sender )?reputation|\bTSS0[1-9]\b|\bS3\d{3}\b|\bBL\d\d\b", _I)),
    ("spam", re.compile(r"\bspam\b|junk ?mail|unsolicited|bulk (e-?)?mail|\bUBE\b|\bspamassassin\b|"
                        r"(looks|appears|seems) (to be |like )?(spam|suspicious|unsolicited)|HVU:B|content looks like", _I)),
    ("content", re.compile(r"virus|malware|infected|trojan|phishing|attachment|content (was )?(rejected|refused|filter|policy)|"
                           r"prohibited (content|attachment|file)|potential security issue|content presents|\bURL\b.*(block|reject)|disallowed content|"
                           r"message content", _I)),
    ("mailbox_full", re.compile(r"(mailbox|quota|inbox|disk|storage|mail ?box size).{0,40}(full|exceeded|over)|over ?quota|"
                                r"quota (exceeded|full)|insufficient (system )?(storage|space)|exceeded storage|"
                                r"out of (storage|space)|(full|exceeded) (mail)?box|mailbox full|\bmbox full|"
                                r"user is over (their|the) quota|mailfolder is full", _I)),
    ("too_large", re.compile(r"too (large|big)|size (limit|exceed)|exceeds? (the )?(maximum |max )?(message )?size|"
                             r"message size|maximum size|message length exceeds", _I)),
    ("rate_limited", re.compile(r"rate[- ]?limit|too many (connections|messages|recipients|concurrent|emails)|"
                                r"throttl|sending (rate|limit|quota)|unexpected volume|receiving mail at a rate|"
                                r"exceeded (the )?(daily )?(sending|message) (limit|quota)|try (again )?later.*(rate|volume)|"
                                r"mail flood|frequency limit|traffic", _I)),
    ("suspended", re.compile(r"(account|mailbox|user|address|recipient)( [\w@.-]+)?( (has been|is|was))? (temporarily )?"
                             r"(disabled|suspended|inactive|deactivated|locked|frozen|expired|closed)|"
                             r"account (is )?(disabled|inactive|suspended)|inactive (user|account|mailbox)|"
                             r"not (an )?active (user|account)|no longer active|disabled (user|account|mailbox)|"
                             r"account_inactive|tried to reach is (disabled|inactive)|\bis (currently )?(disabled|suspended|deactivated)\b", _I)),
    ("moved", re.compile(r"has moved|moved to|(user|address|recipient) (has )?(changed|relocated)|user not local; please try|"
                         r"changed (his|her|their) (e-?mail )?address|new (e-?mail )?address is|forwarding address", _I)),
    ("host_unknown", re.compile(r"host (or domain name )?(not found|unknown)|domain (name )?(not found|does not exist|"
                                r"doesn't exist|unknown)|no (mx|such domain)|null mx|name or service not known|nxdomain|"
                                r"unrouteable (mail )?domain|could not be resolved|unknown (host|domain)|"
                                r"no (dns|mail exchanger|mail server)|dns (error|lookup|failure).*(domain|host|mx)|"
                                r"domain (is )?(not|no longer) (valid|in use|accepting)|unroutable domain|unrouteable address|"
                                r"does not accept mail|nulled mx|non-?existent (host|domain)|no such host", _I)),
    ("user_unknown", re.compile(
        r"user ?unknown|unknown (user|recipient|mailbox|local[- ]part|address|e-?mail)|no such (user|mailbox|recipient|"
        r"address|person|account)|(does not|doesn't|did not|not) exist|invalid (recipient|mailbox|address|user|e-?mail)|"
        r"recipient (address )?rejected|(?<!sender )address rejected|mailbox (unavailable|not found|is unavailable)|"
        r"(user|recipient|mailbox|address) (not found|unknown|invalid)|not listed in (the )?(domino|public name|address)|couldn'?t be found|"
        r"RecipNotFound|recipient not found|no mailbox|(not|no) (a )?(valid|known) (user|recipient|mailbox)|"
        r"no valid recipients|bad (destination|recipient)|undeliverable address|unknown or illegal alias|"
        r"account .*(doesn't|does not) exist|doesn't have an? [^ ]+ account|is not a valid|not our customer|"
        r"address (is )?(not|no longer) (valid|in use)|user (is )?not (local|here)|no account by that name|"
        r"recipient (is )?not (authorized|found|known)|unknown alias|reject_unlisted_recipient|DoesNotExist|"
        r"mailbox .* does not exist|no mail-box|this user doesn't have", _I)),
    ("expired", re.compile(r"expired|gave up|giving up|retry (timeout|time) (exceeded|reached)|too long in (the )?queue|"
                           r"could not be delivered (within|for|in) \d+|delivery time|maximum time|no longer retrying|"
                           r"been delayed for too long|timeout exceeded|time limit|retry time not reached", _I)),
    ("policy", re.compile(r"policy|not (allowed|permitted|authori[sz]ed)|relay(ing)? (denied|not permitted|prohibited|"
                          r"access denied)|relay not|restricted|administrative(ly)? prohibited|access denied|"
                          r"sender (address )?(rejected|denied|refused|blocked)|rejected by|mail from .* refused|"
                          r"recipient (domain )?refuses|refused to accept|does not accept (e-?mail|messages) from|"
                          r"only accepts mail from|domain is not allowed", _I)),
    ("network", re.compile(r"connection (refused|timed out|reset|lost|closed|dropped)|timed out|timeout|network|"
                           r"unreachable|temporary (failure|error|problem|lookup)|lost connection|tls|ssl|handshake|"
                           r"system (error|problem|not accepting)|service (unavailable|not available)|try again later|"
                           r"greylist|graylist|deferred|internal (server )?error|resources temporarily|"
                           r"local error|routing loop|loop detected|hop count", _I)),
    ("on_hold", re.compile(r"on hold|held (for|in)|quarantin|awaiting (moderation|approval)|pending (review|approval)", _I)),
]

# RFC 3463 subject.detail → reason, used when the words say nothing we know
_CODES: dict[str, str] = {
    "1.1": "user_unknown", "1.2": "host_unknown", "1.3": "user_unknown", "1.4": "user_unknown",
    "1.5": "user_unknown", "1.6": "moved", "1.7": "policy", "1.8": "auth_failure", "1.10": "host_unknown",
    "2.0": "user_unknown", "2.1": "suspended", "2.2": "mailbox_full", "2.3": "too_large", "2.4": "undetermined",
    "3.1": "mailbox_full", "3.2": "network", "3.3": "content", "3.4": "too_large", "3.5": "network",
    "4.0": "network", "4.1": "network", "4.2": "network", "4.3": "network", "4.4": "host_unknown",
    "4.5": "network", "4.6": "network", "4.7": "expired",
    "5.3": "rate_limited", "5.4": "policy", "5.0": "network",
    "6.0": "content", "6.1": "content", "6.3": "content", "6.5": "content", "6.6": "content",
    "7.0": "policy", "7.1": "policy", "7.2": "policy", "7.3": "policy", "7.4": "auth_failure",
    "7.5": "auth_failure", "7.6": "auth_failure", "7.7": "auth_failure", "7.8": "auth_failure",
    "7.9": "auth_failure", "7.13": "suspended", "7.14": "policy", "7.23": "auth_failure", "7.24": "auth_failure",
    "7.25": "blocked", "7.26": "auth_failure", "7.27": "auth_failure", "7.28": "rate_limited",
}

# Microsoft's 5.1.10 is "recipient not found"; 5.4.1 "recipient address rejected: access denied" is the same thing
_SPECIAL = {"5.1.10": "user_unknown", "5.4.1": "user_unknown", "5.4.4": "host_unknown"}


# case-insensitive matching is slow in `re`: the text is lower-cased once and matched case-sensitively
_LOWER_WORDS = [(reason, re.compile(pattern.pattern.lower())) for reason, pattern in _WORDS]


def reason_from_words(text: str) -> str | None:
    """The first reason whose words appear in `text`, or None."""
    text = text.lower()
    for reason, pattern in _LOWER_WORDS:
        if pattern.search(text):
            return reason
    return None


def reason_from_status(status: str | None) -> str | None:
    if not status:
        return None
    if status in _SPECIAL:
        return _SPECIAL[status]
    subject_detail = status.split(".", 1)[1] if "." in status else ""
    return _CODES.get(subject_detail)


def reason_for(status: str | None, diagnostic: str, text: str = "") -> str:
    """The reason for one failure: the diagnostic's words, the status code, the report's words, else undetermined."""
    return (reason_from_words(diagnostic) or reason_from_status(status) or reason_from_words(text[:20_000])
            or "undetermined")


def class_of(reason: str, temporary: bool = False) -> str:
    """A reason's class; a temporary failure (4.x.x, Action: delayed) is never hard."""
    klass = REASONS.get(reason, SOFT)
    return SOFT if temporary and klass == HARD else klass


def plain_words(reason: str) -> str:
    return PLAIN_WORDS.get(reason, reason.replace("_", " "))


_STATUS = re.compile(r"(?<![\w.])([245])\.(\d{1,3})\.(\d{1,3})(?![\w.])")
_CODE = re.compile(r"^\s*([245])\d\d\b")


def classify_reply(reply: str) -> tuple[str, str, str | None]:
    """(reason, class, status) of an SMTP server's refusal at send time: the same taxonomy as reports."""
    found = _STATUS.search(reply)
    status = found.group(0) if found else None
    code = _CODE.search(reply)
    temporary = (status or (code.group(1) if code else "5")).startswith("4")
    reason = reason_for(status, reply)
    return reason, class_of(reason, temporary), status
