"""Which column is what: guessed from the header (Sales Navigator, ZoomInfo, Apollo, spreadsheets,
English and Lithuanian), confirmed by the user, and remembered per header set."""
from __future__ import annotations

import hashlib
import re
import unicodedata

from sqlalchemy import select
from sqlalchemy.orm import Session

from sequencer.models import ImportMapping
from sequencer.platform import clock
from sequencer.texts import tr

TARGETS = {
    "email": tr("Email"), "first_name": tr("First name"), "last_name": tr("Last name"),
    "full_name": tr("Full name (split)"), "title": tr("Job title"), "company": tr("Company"),
    "company_domain": tr("Company website / domain"), "phone": tr("Phone"), "linkedin_url": tr("LinkedIn URL"),
    "country": tr("Country"), "city": tr("City"), "state": tr("State / region"),
    "location": tr("Location (\"City, Country\")"), "timezone": tr("Time zone"), "language": tr("Language"),
    "persona": tr("Persona key"),
}
NO_EMAIL = tr("map one column to Email")
CUSTOM = "custom:"     # `custom:<key>` keeps the column in the prospect's custom fields
IGNORE = ""

ALIASES = {
    "email": ["email", "e-mail", "email address", "e-mail address", "work email", "business email", "emails",
              "email 1", "primary email", "el paštas", "el. paštas", "elektroninis paštas", "paštas"],
    "first_name": ["first name", "firstname", "first", "given name", "vardas"],
    "last_name": ["last name", "lastname", "last", "surname", "family name", "pavardė", "pavarde"],
    "full_name": ["name", "full name", "contact name", "contact", "vardas pavardė", "vardas ir pavardė"],
    "title": ["title", "job title", "position", "current title", "role", "designation", "pareigos",
              "pareigybė"],
    "company": ["company", "company name", "account name", "account", "organization", "organisation",
                "current company", "employer", "įmonė", "imone", "įmonės pavadinimas", "bendrovė"],
    "company_domain": ["website", "company website", "domain", "company domain", "url", "web", "svetainė",
                       "interneto svetainė", "company url"],
    "phone": ["phone", "phone number", "mobile", "mobile phone", "direct phone", "direct phone number",
              "work phone", "corporate phone", "telephone", "tel", "telefonas", "tel nr", "mobilus",
              "telefono numeris"],
    "linkedin_url": ["linkedin", "linkedin url", "linkedin profile", "profile url", "person linkedin url",
                     "linkedin contact profile url", "linkedin profile url", "li url"],
    "country": ["country", "person country", "country code", "šalis", "salis", "valstybė"],
    "city": ["city", "person city", "town", "miestas"],
    "state": ["state", "region", "person state", "province", "county", "regionas", "apskritis"],
    "location": ["location", "geography", "vieta", "buvimo vieta"],
    "timezone": ["time zone", "timezone", "tz", "laiko juosta"],
    "language": ["language", "kalba"],
    "persona": ["persona"],
}


def _norm(header: str) -> str:
    text = unicodedata.normalize("NFKC", header).casefold().strip()
    text = re.sub(r"[_\-.:#]+", " ", text)
    return re.sub(r"\s+", " ", text).strip()


def _fold(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


_LOOKUP: dict[str, str] = {}
for _target, _names in ALIASES.items():
    for _name in _names:
        _LOOKUP.setdefault(_norm(_name), _target)
        _LOOKUP.setdefault(_fold(_norm(_name)), _target)


def custom_key(header: str) -> str:
    key = re.sub(r"[^a-z0-9]+", "_", _fold(_norm(header))).strip("_")
    return key[:64] or "column"


_EMAIL_VALUE = re.compile(r"^[^@\s;,]+@[^@\s;,]+\.[^@\s;,]+$")


def email_columns(samples: list[list[str]], width: int) -> list[int]:
    """Columns whose sampled values are mostly email addresses (at least 80% of the filled cells), best first."""
    scores = []
    for i in range(width):
        filled = [row[i].strip() for row in samples if i < len(row) and row[i].strip()]
        hits = sum(1 for value in filled if _EMAIL_VALUE.match(value))
        if filled and hits / len(filled) >= 0.8:
            scores.append((-hits, i))
    return [i for _, i in sorted(scores)]


def guess(header: list[str], samples: list[list[str]] | None = None) -> dict[str, str]:
    """Column index (text) -> target; each target once, the first matching column wins; with sample rows,
    an email column is recognised by its values when no header names one ("Contact Info")."""
    out = _by_name(header)
    if "email" not in out.values() and samples:
        found = email_columns(samples, len(header))
        if found:
            out[str(found[0])] = "email"
    return out


def _by_name(header: list[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    used: set[str] = set()
    for i, name in enumerate(header):
        n = _norm(name)
        target = _LOOKUP.get(n) or _LOOKUP.get(_fold(n))
        if target and target not in used:
            out[str(i)] = target
            used.add(target)
        else:
            out[str(i)] = IGNORE
    if "first_name" in used and "last_name" in used:
        out = {k: (IGNORE if v == "full_name" else v) for k, v in out.items()}
    return out


def header_key(header: list[str]) -> str:
    return hashlib.sha256("\x1f".join(_norm(h) for h in header).encode()).hexdigest()


def remembered(session: Session, header: list[str]) -> dict[str, str] | None:
    row = session.scalars(select(ImportMapping).where(ImportMapping.header_key == header_key(header))).first()
    return dict(row.mapping) if row else None


def remember(session: Session, header: list[str], mapping: dict[str, str]) -> None:
    key = header_key(header)
    row = session.scalars(select(ImportMapping).where(ImportMapping.header_key == key)).first()
    if row is None:
        session.add(ImportMapping(header_key=key, mapping=mapping, updated_at=clock.now()))
    else:
        row.mapping, row.updated_at = dict(mapping), clock.now()


def check(header: list[str], mapping: dict[str, str]) -> list[dict]:
    """Problems with a mapping, as API error details (empty when it is usable)."""
    problems = []
    seen: dict[str, str] = {}
    for index, target in mapping.items():
        if not index.isdigit() or int(index) >= len(header):
            problems.append({"field": f"mapping.{index}", "message": tr("no such column")})
            continue
        if target == IGNORE:
            continue
        if target.startswith(CUSTOM):
            if not custom_key(target[len(CUSTOM):]) or len(target) > 80:
                problems.append({"field": f"mapping.{index}", "message": tr("custom field needs a name")})
            continue
        if target not in TARGETS:
            problems.append({"field": f"mapping.{index}", "message": tr("unknown target %(target)s", target=repr(target))})
        elif target in seen:
            problems.append({"field": f"mapping.{index}",
                             "message": tr("%(target)s is already column %(column)s", target=TARGETS[target],
                                           column=repr(header[int(seen[target])]))})
        else:
            seen[target] = index
    if "email" not in seen:
        problems.append({"field": "mapping", "message": NO_EMAIL})
    return problems
