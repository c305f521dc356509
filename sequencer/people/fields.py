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

Cleaned = tuple[str | None, str | None]  # (value, problem)

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
        return value, f"at most {limit} characters"
    return value or None, None


def email(value: str) -> Cleaned:
    """Syntax-checked, lower-cased address (offline: no DNS lookups)."""
    return clean_email(value)


def timezone(value: str) -> Cleaned:
    """An IANA zone name as given, if Python knows it."""
    problem = zone_problem(value)
    return (None, problem) if problem else (value, None)


def country(value: str) -> Cleaned:
    """An ISO 3166 alpha-2 code, upper-cased."""
    code = value.strip().upper()
    if len(code) == 2 and pycountry.countries.get(alpha_2=code) is not None:
        return code, None
    return None, f"{value.strip()!r} is not an ISO 3166 alpha-2 code (e.g. LT)"


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
    hint = "" if country_code else " (add the country code, e.g. +370, or set the country)"
    return None, f"{raw!r} is not a phone number{hint}"


def linkedin(value: str, *, add_scheme: bool = False) -> Cleaned:
    """Only http(s) links: the URL ends up in an `href`, so `javascript:` must never get through."""
    url = value.strip()
    if add_scheme and "linkedin.com" in url.lower() and not url.lower().startswith(("http://", "https://")):
        url = "https://" + url
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return url, "must be an http(s) link"
    if len(url) > LINK_LIMIT:
        return url, f"at most {LINK_LIMIT} characters"
    return url, None


def language(value: str) -> Cleaned:
    code = value.strip().lower()
    return (code, None) if LANGUAGE.match(code) else (code, "use a language code such as en or lt")


def domain(value: str) -> Cleaned:
    """`https://www.Acme.com/about` → `acme.com`."""
    host = clean_domain(value)
    if host is not None:
        return host, None
    return None, f"{value.strip()!r} is not a domain (e.g. acme.com)"


def unknown_persona(key: str) -> str:
    return f"no persona with key {key!r}"


def custom_problem(values: dict) -> str | None:
    """Why a prospect's custom fields can't be stored (too many, a bad name, a value too long), or None."""
    if len(values) > CUSTOM_FIELDS_MAX:
        return f"at most {CUSTOM_FIELDS_MAX} custom fields (got {len(values):,})"
    for key, value in values.items():
        if not isinstance(key, str) or not key.strip():
            return "a custom field's name is empty"
        if len(key) > CUSTOM_KEY_MAX:
            return f"custom field name {key[:20]!r}… is over the limit: at most {CUSTOM_KEY_MAX} characters"
        size = len(value) if isinstance(value, str) else len(json.dumps(value, ensure_ascii=False, default=str))
        if size > CUSTOM_VALUE_MAX:
            return f"custom field {key!r} is too long: at most {CUSTOM_VALUE_MAX:,} characters"
    return None
