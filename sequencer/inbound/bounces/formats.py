"""Which server wrote the report, and each one's way of naming the failed address in plain text.

Patterns come from the vendors' documented and commonly seen notices (Postfix bounce(5) templates,
Exim's "A message that you sent could not be delivered", Sendmail's "... User unknown", qmail's
QSBMF, Exchange/Office 365 NDRs, Gmail, Yahoo, Outlook.com, Amazon SES, SendGrid, Mailgun, Postmark,
Lotus Domino, McAfee and Trend Micro gateways, Japanese carriers).
"""
from __future__ import annotations

import re

_I, _M = re.I, re.M
# (mta, evidence in headers or text); the first that matches names the report's writer
MTAS: list[tuple[str, re.Pattern]] = [
    ("amazon_ses", re.compile(r"amazonses|\"notificationType\"|sns\.amazonaws\.com|x-ses-outgoing", _I)),
    ("sendgrid", re.compile(r"sendgrid", _I)),
    ("mailgun", re.compile(r"mailgun", _I)),
    ("postmark", re.compile(r"postmarkapp|\bpostmark\b", _I)),
    ("sparkpost", re.compile(r"sparkpost", _I)),
    ("mailchimp_mandrill", re.compile(r"mandrill|mcsv\.net|mailchimp", _I)),
    ("mcafee", re.compile(r"mcafee|mxlogic|McAfee Email Gateway", _I)),
    ("trend_micro", re.compile(r"trend ?micro|interscan|imss|\btmase\b", _I)),
    ("proofpoint", re.compile(r"proofpoint|pphosted", _I)),
    ("mimecast", re.compile(r"mimecast", _I)),
    ("barracuda", re.compile(r"barracuda(?! reputation)", _I)),
    ("domino", re.compile(r"lotus|domino", _I)),
    ("japan_docomo", re.compile(r"docomo\.ne\.jp", _I)),
    ("japan_au", re.compile(r"ezweb\.ne\.jp|au\.com|\bKDDI\b", _I)),
    ("japan_softbank", re.compile(r"softbank\.ne\.jp|i\.softbank\.jp|disney\.ne\.jp", _I)),
    ("outlook_com", re.compile(r"hotmail\.com|@outlook\.com|[@.]live\.com|msn\.com|\bS3140\b|\bSC-00\d|olc\.protection", _I)),
    ("office365", re.compile(r"protection\.outlook\.com|office ?365|exchange online|\.prod\.outlook\.com", _I)),
    ("exchange", re.compile(r"microsoft exchange|x-ms-exchange|\bExchange Server\b|MSEXCH", _I)),
    ("gmail", re.compile(r"googlemail\.com|mx\.google\.com|gmail\.com|google\.com|\bgsmtp\b", _I)),
    ("yahoo", re.compile(r"yahoo|aol\.com|yahoodns", _I)),
    ("apple_icloud", re.compile(r"icloud\.com|me\.com|mac\.com", _I)),
    ("zoho", re.compile(r"zoho", _I)),
    ("gmx_webde", re.compile(r"gmx\.(net|de|com)|web\.de|mout\.", _I)),
    ("yandex", re.compile(r"yandex", _I)),
    ("qmail", re.compile(r"qmail", _I)),
    ("exim", re.compile(r"\bexim\b|A message that you sent could not be delivered", _I)),
    ("postfix", re.compile(r"postfix|This is the mail system at host", _I)),
    ("sendmail", re.compile(r"sendmail|The original message was received at", _I)),
    ("courier", re.compile(r"courier", _I)),
    ("opensmtpd", re.compile(r"opensmtpd|Hi!\s+This is the MAILER-DAEMON", _I)),
    ("haraka", re.compile(r"haraka", _I)),
    ("mdaemon", re.compile(r"mdaemon", _I)),
    ("kerio", re.compile(r"kerio", _I)),
    ("zimbra", re.compile(r"zimbra", _I)),
]

_ADDR = r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+"
# each MTA's way of naming the address that failed
RECIPIENT_LINES: list[re.Pattern] = [
    re.compile(rf"^<({_ADDR})>(?: \(expanded from <[^>]*>\))?:\s", _M),                    # Postfix
    re.compile(rf"^<({_ADDR})>:\s*$", _M),                                                  # qmail
    re.compile(rf"^\s*<?({_ADDR})>?\.\.\. ", _M),                                          # Sendmail "... User unknown"
    re.compile(rf"(?:could not be delivered to one or more of its\s+recipients\.[^\n]*\n(?:[^\n]*\n)*?)\s*"
               rf"<?({_ADDR})>?\s*\n", _I),                                                 # Exim block
    re.compile(rf"^\s{{2}}({_ADDR})\s*\n\s+(?:host|SMTP error|retry|mailbox|unknown|Unrouteable|all)", _M | _I),  # Exim
    re.compile(rf"(?:delivery to the following recipients? failed permanently|message wasn't delivered to|"
               rf"message to|couldn't be delivered to|could not be delivered to|wasn't delivered to|"
               rf"was not delivered to|not be delivered to|unable to deliver (?:your )?message to|"
               rf"did not reach the following recipient\(s\)|cannot be reached|failed to deliver to|"
               rf"delivery has failed to these recipients or groups|did not receive this message|"
               rf"delivery to|following address(?:es)?|undeliverable to|message delivery to|"
               rf"recipient(?:\(s\))?|addressed to|sent to|destinataire|empfänger|宛先)"
               rf"[:\s]*[\"']?(?:[^<\n@]{{0,60}}<)?<?({_ADDR})>?", _I),
    re.compile(rf"^\s*({_ADDR})\s*(?:\r?\n|$)", _M),                                        # an address alone on a line
]
_ANY_ADDR = re.compile(_ADDR)
# case-insensitive matching is slow in `re`: the samples are lower-cased once and matched case-sensitively
_LOWER_MTAS = [(name, re.compile(pattern.pattern.lower())) for name, pattern in MTAS]
_REPLY_TEXT = re.compile(r"(?:said|returned|response|answered|error|reason|diagnostic|remote server)[^:\n]*:\s*"
                         r"(\d{3}[ -][^\n]+(?:\n[ \t]+[^\n]+)*)", _I)
_SMTP_LINE = re.compile(r"^[^\n]*\b[45]\d\d[ -](?:\d\.\d{1,3}\.\d{1,3} )?[^\n]+(?:\n[ \t]+[^\n]+)*", _M)


def mta_of(headers: str, text: str) -> str:
    """The report's writer, as a short name: its own headers decide first, then its words (never the recipient's
    domain); `rfc3464` for a standard report from a server we do not name."""
    sender = headers.split("\n", 1)[0] if headers.startswith("From:") else ""
    words = _ANY_ADDR.sub(" ", text[:8000]).lower()
    for sample in (sender.lower(), headers.lower(), words[:300], words):  # the opening words name the writer
        for name, pattern in _LOWER_MTAS:
            if pattern.search(sample):
                return name
    return "rfc3464" if re.search(r"^reporting-mta:", text, _I | _M) else "unknown"


def recipients_in_lines(text: str) -> list[str]:
    """Addresses named by the MTAs' own recipient lines, in the order their patterns rank them."""
    found: list[str] = []
    for pattern in RECIPIENT_LINES:
        for match in pattern.finditer(text):
            address = match.group(1).lower().rstrip(".")
            if address not in found:
                found.append(address)
        if found:
            return found
    return found


def diagnostic_line(text: str) -> str:
    """The server's reply as quoted in the report ("host x said: 550 ..."), else the first line with an SMTP code."""
    found = _REPLY_TEXT.search(text) or _SMTP_LINE.search(text)
    if not found:
        return ""
    value = found.group(1) if found.lastindex else found.group(0)
    return re.sub(r"\s+", " ", value).strip()[:1000]
