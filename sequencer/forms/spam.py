"""Spam defences that need no database: the honeypot, the minimum fill time, names that carry links or markup,
and the role and disposable addresses that are flagged for the rep rather than silently dropped."""
from __future__ import annotations

import hashlib
import hmac
import re
from datetime import datetime

from sequencer.texts import tr

HONEYPOT = "website"
TIMING = "_t"
MIN_FILL_SECONDS = 3
MAX_FILL_SECONDS = 86400
ROLE_LOCALS = frozenset({"info", "noreply", "no-reply", "donotreply", "do-not-reply", "admin", "administrator",
                         "sales", "support", "contact", "hello", "office", "marketing", "team", "webmaster",
                         "postmaster", "hostmaster", "abuse", "billing", "help", "enquiries", "inquiries", "jobs"})
DISPOSABLE = frozenset({"mailinator.com", "guerrillamail.com", "guerrillamail.net", "sharklasers.com",
                        "10minutemail.com", "10minutemail.net", "tempmail.com", "temp-mail.org", "yopmail.com",
                        "trashmail.com", "getnada.com", "dispostable.com", "maildrop.cc", "throwawaymail.com",
                        "fakeinbox.com", "mailnesia.com", "mintemail.com", "tempr.email", "discard.email",
                        "emailondeck.com", "mohmal.com", "burnermail.io", "spamgourmet.com", "mytemp.email"})
MARKUP = re.compile(r"[<>]|https?:|www\.|\.(?:com|net|org|ru|xyz|io|info)\b|\[url|&#", re.IGNORECASE)
NAME_FIELDS = ("first_name", "last_name", "full_name", "company")


def _mac(secret: str, form_id: int, stamp: int) -> str:
    return hmac.new(secret.encode(), f"form-timing:{form_id}:{stamp}".encode(), hashlib.sha256).hexdigest()[:20]


def timing_token(secret: str, form_id: int, now: datetime) -> str:
    """A signed "this form was shown at" stamp for the hidden `_t` field of the hosted and embedded forms."""
    stamp = int(now.timestamp())
    return f"{stamp}.{_mac(secret, form_id, stamp)}"


def fill_problem(secret: str, form_id: int, token: str | None, now: datetime,
                 minimum: float = MIN_FILL_SECONDS) -> str | None:
    """Why the timing says "a script", or None; no token at all is a plain HTML form (flagged, not refused)."""
    if not token:
        return None
    stamp, _, mac = token.partition(".")
    if not stamp.isdigit() or len(stamp) > 12 or not hmac.compare_digest(mac, _mac(secret, form_id, int(stamp))):
        return tr("the form's timing token is not ours")
    age = now.timestamp() - int(stamp)
    if age < minimum:
        return tr("sent too quickly after the form was shown")
    if age > MAX_FILL_SECONDS:
        return tr("the form was open too long; reload the page")
    return None


def name_problem(value: str) -> str | None:
    """Names and company names with links or HTML are what form spam looks like."""
    return tr("must not contain links or HTML") if MARKUP.search(value) else None


def address_flags(email: str) -> list[str]:
    """`role_address` (info@, noreply@ ...) and `disposable_address`: shown to the rep with the lead."""
    local, _, domain = email.lower().partition("@")
    flags = []
    if local.split("+", 1)[0] in ROLE_LOCALS:
        flags.append("role_address")
    if domain in DISPOSABLE or any(domain.endswith("." + d) for d in DISPOSABLE):
        flags.append("disposable_address")
    return flags
