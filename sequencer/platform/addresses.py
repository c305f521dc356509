"""What a syntactically valid email address is, for every door that takes one (users, mailboxes, prospects,
imports, suppression lists): checked offline, no DNS lookups, and stored lower-cased."""
from __future__ import annotations

import re
from urllib.parse import urlsplit

from email_validator import SPECIAL_USE_DOMAIN_NAMES, EmailNotValidError, validate_email

from sequencer.texts import Text, tr

PLAIN_EMAIL = re.compile(r"[a-z0-9_+-]+(?:\.[a-z0-9_+-]+)*@(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}",
                         re.IGNORECASE)
SPECIAL_USE = frozenset(SPECIAL_USE_DOMAIN_NAMES)  # single labels: checking the top-level one suffices
# email-validator's commonest reasons, marked so the catalogue translates them (others stay in English)
LIBRARY_REASONS = (
    tr("An email address must have an @-sign."),
    tr("There must be something before the @-sign."),
    tr("There must be something after the @-sign."),
    tr("The part after the @-sign is not valid. It should have a period."),
    tr("An email address cannot have two periods in a row."),
    tr("The email address contains invalid characters before the @-sign."),
    tr("The part after the @-sign is a special-use or reserved name that cannot be used with email."),
    tr("The part after the @-sign is not valid. It is not within a valid top-level domain."),
    tr("There can't be anything after the email address."),
)


def _plain(value: str) -> bool:
    """A plain ASCII address email-validator would accept unchanged (it parses the rest: 20x slower)."""
    if len(value) > 254 or not PLAIN_EMAIL.fullmatch(value):
        return False
    local, domain = value.lower().rsplit("@", 1)
    return len(local) <= 64 and "--" not in domain and domain.rsplit(".", 1)[1] not in SPECIAL_USE


def clean_email(value: str) -> tuple[str | None, str | None]:
    """(normalised address, None) or (None, the reason it is not an address)."""
    value = (value or "").strip()
    if _plain(value):
        return value.lower(), None
    try:
        return validate_email(value, check_deliverability=False).normalized.lower(), None
    except EmailNotValidError as exc:
        return None, Text(str(exc))  # said in the reader's language where it is one of LIBRARY_REASONS


DOMAIN = re.compile(r"^(?=.{1,255}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")


def clean_domain(value: str) -> str | None:
    """`https://www.Acme.com/about` → `acme.com` (IDNA-encoded); None when it is not a domain."""
    host = value.strip().lower()
    if "://" in host:
        host = urlsplit(host).hostname or ""
    host = host.split("/", 1)[0].removeprefix("www.").rstrip(".")
    try:
        host = host.encode("idna").decode("ascii")
    except UnicodeError:
        return None
    return host if DOMAIN.match(host) else None


def host_within(host: str | None, domains: list[str] | tuple[str, ...]) -> bool:
    """Whether `host` is one of `domains` or a subdomain of one."""
    host = (host or "").lower().rstrip(".")
    return bool(host) and any(host == d or host.endswith("." + d) for d in domains)
