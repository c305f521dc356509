"""One CSV row → prospect values, or the reasons it can't be imported (column by column).

The same field rules as the prospect form and API (`sequencer.people.fields`), but with personas
preloaded and no per-row queries, so a 100,000-row file checks in seconds. Where a spreadsheet is looser
than the API (country names, a LinkedIn link without its scheme, a location column) it is read here.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from sequencer.people import fields
from sequencer.people.csv_import import geo
from sequencer.people.csv_import.mapping import CUSTOM, custom_key
from sequencer.people.persona_match import PersonaMatcher
from sequencer.texts import tr

FREE_MAIL = frozenset(["gmail.com", "googlemail.com", "yahoo.com", "yahoo.co.uk", "hotmail.com", "outlook.com", "live.com", "msn.com", "icloud.com", "me.com", "aol.com", "gmx.de", "gmx.net", "web.de", "mail.ru", "yandex.ru", "proton.me", "protonmail.com", "inbox.lt", "one.lt", "zebra.lt", "takas.lt"])
Issues = list[tuple[str, str]]  # (column header, reason)


@dataclass
class Checked:
    values: dict
    company: tuple[str | None, str | None] | None
    issues: Issues


def _split_name(full: str) -> tuple[str, str]:
    parts = full.split(",")[0].split()
    if not parts:
        return "", ""
    return " ".join(parts[:-1]) if len(parts) > 1 else parts[0], parts[-1] if len(parts) > 1 else ""


@lru_cache(maxsize=64)
def _plan(header: tuple[str, ...], mapping: tuple[tuple[int, str], ...]) -> tuple[list, dict[str, str]]:
    """Per import, not per row: (column index, target, custom key or None) and target → header name."""
    plan = [(i, t, custom_key(t[len(CUSTOM):]) if t.startswith(CUSTOM) else None) for i, t in mapping]
    return plan, {t: header[i] for i, t in mapping}


def _cells(cells: list[str], header: list[str], mapping: dict[int, str]) -> tuple[dict, dict, dict, Issues]:
    """Mapped cells → (raw values by target, custom fields, target → column header, shape issues)."""
    issues: Issues = []
    if len(cells) > len(header) and any(c.strip() for c in cells[len(header):]):
        issues.append(("", tr("has %(cells)s cells but the header has %(columns)s (a stray delimiter or quote?)",
                              cells=len(cells), columns=len(header))))
    raw: dict[str, str] = {}
    custom: dict[str, str] = {}
    plan, col = _plan(tuple(header), tuple(mapping.items()))
    width = len(cells)
    for index, target, key in plan:
        value = cells[index].strip() if index < width else ""
        if value:
            (custom if key is not None else raw)[key if key is not None else target] = value
        if key is not None and value and (problem := fields.custom_problem({key: value})):
            issues.append((header[index], problem))  # the one custom-field rule, naming the column
    if len(custom) > fields.CUSTOM_FIELDS_MAX:
        issues.append(("", fields.custom_problem(custom) or ""))
    return raw, custom, col, issues


def _person(raw: dict, col: dict, values: dict, issues: Issues) -> None:
    """Email, names, title and city."""
    if not raw.get("email"):
        issues.append((col["email"], tr("email is missing")))
    else:
        values["email"], problem = fields.email(raw["email"])
        if problem:
            issues.append((col["email"], problem))
    if "full_name" in raw:
        values["first_name"], values["last_name"] = _split_name(raw["full_name"])
    for key in ("first_name", "last_name", "title", "city"):
        if key in raw:
            values[key] = raw[key]
    for key in fields.TEXT_LIMITS:
        if values.get(key):
            _, problem = fields.text(key, values[key])
            if problem:
                issues.append((col.get(key, col.get("full_name", key)), problem))


def _place(raw: dict, col: dict, values: dict, custom: dict, issues: Issues) -> None:
    """Country (names or codes, or the last part of a location), city, state, phone, time zone, language."""
    city, country = values.get("city"), None
    if "location" in raw:
        parts = [p.strip() for p in raw["location"].split(",") if p.strip()]
        country = geo.country_code(parts[-1]) if parts else None
        if country and len(parts) > 1:
            city = city or parts[0]
        elif not country:
            custom.setdefault("location", raw["location"])
    if "country" in raw:
        country = geo.country_code(raw["country"])
        if country is None:
            issues.append((col["country"], f"{raw['country']!r} is not a country we know (use a name or ISO code)"))
    values["country"], values["city"] = country, city
    if raw.get("state"):
        custom.setdefault("state", raw["state"])
    checks: dict[str, Callable[[str], fields.Cleaned]] = {"phone": lambda v: fields.phone(v, country), "linkedin_url": lambda v: fields.linkedin(v, add_scheme=True),
              "timezone": fields.timezone, "language": fields.language}
    for key, check in checks.items():
        if key in raw:
            clean, problem = check(raw[key])
            values[key] = raw[key] if key == "timezone" else clean
            if problem:
                issues.append((col[key], problem))
    if "timezone" not in raw:
        values["timezone"] = geo.infer_timezone(country, city, raw.get("state"))


def _company(raw: dict, col: dict, values: dict, issues: Issues) -> tuple[str | None, str | None] | None:
    """The company by name and domain (the email's domain when it isn't a free-mail one)."""
    name = raw.get("company")
    if name and len(name) > fields.TEXT_LIMITS["company"]:
        issues.append((col["company"], fields.text("company", name)[1] or ""))
    domain = None
    if "company_domain" in raw:
        domain, problem = fields.domain(raw["company_domain"])
        if problem:
            issues.append((col["company_domain"], problem))
    elif name and values.get("email"):
        email_domain = values["email"].rsplit("@", 1)[-1]
        domain = email_domain if email_domain not in FREE_MAIL else None
    return (name, domain) if name or domain else None


def check_row(cells: list[str], header: list[str], mapping: dict[int, str], personas: PersonaMatcher) -> Checked:
    raw, custom, col, issues = _cells(cells, header, mapping)
    values: dict = {"first_name": "", "last_name": ""}
    _person(raw, col, values, issues)
    _place(raw, col, values, custom, issues)
    if "persona" in raw:
        values["persona_id"] = personas.keys.get(raw["persona"])
        if values["persona_id"] is None:
            issues.append((col["persona"], fields.unknown_persona(raw["persona"])))
    else:
        values["persona_id"] = personas.match(values.get("title"))
    company = _company(raw, col, values, issues)
    values["fields"] = custom
    order = {name: i for i, name in enumerate(header)}
    issues.sort(key=lambda issue: order.get(issue[0], -1))
    return Checked(values, company, issues)
