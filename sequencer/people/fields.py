"""What a valid prospect field is, written once for the API, the prospect form and the CSV import.

Each cleaner takes the raw text and answers `(clean value, problem)`: the value to store, or the reason
a person will read next to the field (or the CSV column). Pure and cached where it pays: an import
calls these for every cell of a 100,000-row file.
"""
from __future__ import annotations

import json
import re
from urllib.parse import urlsplit

import phonenumbers
import pycountry

from sequencer.platform.addresses import clean_domain, clean_email
from sequencer.platform.timezones import zone_problem
from sequencer.texts import tr

Cleaned = tuple[str | None, str | None]  # (value, problem)
# email-validator's commonest reasons (English as it writes them), marked so a reader gets them in their language
EMAIL_PROBLEMS = {str(text): text for text in (
    tr("An email address must have an @-sign."),
    tr("The email address is not valid. It must have exactly one @-sign."),
    tr("There must be something before the @-sign."),
    tr("There must be something after the @-sign."),
    tr("The part after the @-sign is not valid. It should have a period."),
    tr("An email address cannot have a period immediately after the @-sign."),
    tr("An email address cannot end with a period."),
    tr("An email address cannot have two periods in a row."),
    tr("The part after the @-sign is not valid. It is not within a valid top-level domain."),
)}

TEXT_LIMITS = {"first_name": 200, "last_name": 200, "title": 300, "city": 200, "company": 300}
LINK_LIMIT = 500
CUSTOM_FIELDS_MAX = 100  # custom fields per prospect
CUSTOM_KEY_MAX = 64  # characters in a custom field's name
CUSTOM_VALUE_MAX = 10_000  # characters in one custom field's value (as JSON, for numbers, lists and objects)
LANGUAGE = re.compile(r"^[a-z]{2,3}(-[a-z0-9]{2,4})?$")
SIMPLE_PHONE = re.compile(r"\+?[0-9][0-9 .\-]{3,30}")
PHONE_PUNCTUATION = str.maketrans("", "", " .-")


def text(key: str, value: str) -> Cleaned:
    """Trimmed text within the field's length limit."""
    value = value.strip()
    limit = TEXT_LIMITS.get(key)
    if limit and len(value) > limit:
        return value, tr("at most %(limit)s characters", limit=limit)
    return value or None, None


def email(value: str) -> Cleaned:
    """Syntax-checked, lower-cased address (offline: no DNS lookups); the checker's usual reasons said in our words."""
    clean, problem = clean_email(value)
    return clean, (EMAIL_PROBLEMS.get(problem, problem) if problem else None)


def timezone(value: str) -> Cleaned:
    """An IANA zone name as given, if Python knows it."""
    problem = zone_problem(value)
    return (None, problem) if problem else (value, None)


def country(value: str) -> Cleaned:
    """An ISO 3166 alpha-2 code, upper-cased."""
    code = value.strip().upper()
    if len(code) == 2 and pycountry.countries.get(alpha_2=code) is not None:
        return code, None
    return None, tr("%(value)s is not an ISO 3166 alpha-2 code (e.g. LT)", value=repr(value.strip()))


def phone(value: str, country_code: str | None) -> Cleaned:
    """E.164 (`+37061234567`), reading national numbers in the prospect's country."""
    raw = value.strip()
    squeezed = raw.translate(PHONE_PUNCTUATION) if SIMPLE_PHONE.fullmatch(raw) else raw  # phonenumbers is slow
    try:
        number = phonenumbers.parse(squeezed, country_code or None)
        if phonenumbers.is_possible_number(number):
            return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164), None
    except phonenumbers.NumberParseException:
        pass
    if country_code:
        return None, tr("%(value)s is not a phone number", value=repr(raw))
    return None, tr("%(value)s is not a phone number (add the country code, e.g. +370, or set the country)", value=repr(raw))


def linkedin(value: str, *, add_scheme: bool = False) -> Cleaned:
    """Only http(s) links: the URL ends up in an `href`, so `javascript:` must never get through."""
    url = value.strip()
    if add_scheme and "linkedin.com" in url.lower() and not url.lower().startswith(("http://", "https://")):
        url = "https://" + url
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return url, tr("must be an http(s) link")
    if len(url) > LINK_LIMIT:
        return url, tr("at most %(limit)s characters", limit=LINK_LIMIT)
    return url, None


def language(value: str) -> Cleaned:
    code = value.strip().lower()
    return (code, None) if LANGUAGE.match(code) else (code, tr("use a language code such as en or lt"))


def domain(value: str) -> Cleaned:
    """`https://www.Acme.com/about` → `acme.com`."""
    host = clean_domain(value)
    if host is not None:
        return host, None
    return None, tr("%(value)s is not a domain (e.g. acme.com)", value=repr(value.strip()))


def unknown_persona(key: str) -> str:
    return tr("no persona with key %(key)s", key=repr(key))


def custom_problem(values: dict) -> str | None:
    """Why a prospect's custom fields can't be stored (too many, a bad name, a value too long), or None."""
    if len(values) > CUSTOM_FIELDS_MAX:
        return tr("at most %(limit)s custom fields (got %(count)s)", limit=CUSTOM_FIELDS_MAX, count=f"{len(values):,}")
    for key, value in values.items():
        if not isinstance(key, str) or not key.strip():
            return tr("a custom field's name is empty")
        if len(key) > CUSTOM_KEY_MAX:
            return tr("custom field name %(key)s… is over the limit: at most %(limit)s characters", key=repr(key[:20]),
                      limit=CUSTOM_KEY_MAX)
        size = len(value) if isinstance(value, str) else len(json.dumps(value, ensure_ascii=False, default=str))
        if size > CUSTOM_VALUE_MAX:
            return tr("custom field %(key)s is too long: at most %(limit)s characters", key=repr(key),
                      limit=f"{CUSTOM_VALUE_MAX:,}")
    return None
