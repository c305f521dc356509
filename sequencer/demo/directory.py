"""The who of the demo: seller workspace, team and mailboxes, personas, companies and prospects."""
from __future__ import annotations

import random
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from sequencer.accounts.workspace import get_workspace
from sequencer.demo import people as P
from sequencer.models import Company, Mailbox, Persona, Prospect, ProspectStatus, Role, User
from sequencer.models.mail import Transport

_GERMAN = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue"})
_LEGAL_FORMS = {"gmbh", "ag", "kg", "inc", "uab"}


def ascii_slug(text: str, sep: str = "-") -> str:
    """'Brückner & Söhne Druckerei KG' -> 'brueckner-soehne-druckerei' (German umlauts spelled out)."""
    folded = unicodedata.normalize("NFKD", text.translate(_GERMAN)).encode("ascii", "ignore").decode()
    words = ["".join(ch for ch in w if ch.isalnum()) for w in folded.lower().replace("-", " ").split()]
    return sep.join(w for w in words if w and w not in _LEGAL_FORMS)


@dataclass
class Directory:
    users: dict[str, User] = field(default_factory=dict)        # by role key: admin, manager, rep, rep2
    mailboxes: dict[str, Mailbox] = field(default_factory=dict)  # by rep key
    personas: dict[str, Persona] = field(default_factory=dict)
    companies: list[Company] = field(default_factory=list)
    prospects: list[Prospect] = field(default_factory=list)
    city_of: dict[int, str] = field(default_factory=dict)       # company index -> city
    emails: set[str] = field(default_factory=set)


def build_team(session: Session, password_hash: str, now: datetime) -> Directory:
    ws = get_workspace(session)
    ws.company_name = P.SELLER_NAME
    ws.postal_address = P.SELLER_ADDRESS
    d = Directory()
    created = now - timedelta(days=70)
    for email, role, name, title, tz, mailbox in P.TEAM:
        key = email.split("@")[0]
        signature = f"{name}\n{title}, {P.SELLER_PRODUCT}\n{P.SELLER_DOMAIN}"
        user = User(email=email, name=name, title=title, role=Role(role), password_hash=password_hash,
                    timezone=tz, signature=signature, created_at=created, locale=P.LOCALES.get(email))
        d.users[key] = user
        if mailbox:
            d.mailboxes[key] = Mailbox(email=f"{mailbox}@{P.SELLER_DOMAIN}", name=name, owner=user,
                                       transport=Transport.OUTBOX, daily_limit=150, min_interval_seconds=30,
                                       created_at=created)
    for key, name, description, keywords in P.PERSONAS:
        d.personas[key] = Persona(key=key, name=name, description=description, title_keywords=keywords,
                                  created_at=created)
    session.add_all([*d.users.values(), *d.mailboxes.values(), *d.personas.values()])
    return d


def _phone(rng: random.Random, country: str, city: str) -> str:
    if country == "LT":
        return f"+3706{rng.randrange(10**7):07d}"
    if country == "DE":
        area = P.AREA_CODES[city]
        return f"+49{area}{rng.randrange(10**(9 - len(area)), 10**(10 - len(area)))}"
    return f"+1{P.AREA_CODES[city]}55501{rng.randrange(100):02d}"


def _email(rng: random.Random, country: str, first: str, last: str, domain: str, taken: set[str]) -> str:
    given, family = ascii_slug(first, ""), ascii_slug(last, "")
    local = f"{given[0]}{family}" if country == "US" and rng.random() < 0.4 else f"{given}.{family}"
    if f"{local}@{domain}" in taken:
        local = f"{given}.{family}"
    taken.add(f"{local}@{domain}")
    if rng.random() < 0.1:  # some CRMs hand us capitalised addresses; normalisation must cope
        local = local.title()
    return f"{local}@{domain}"


def build_market(session: Session, d: Directory, rng: random.Random, now: datetime) -> None:
    """Companies and their people; LT/DE prospects belong to the Vilnius rep, US ones to the New York rep."""
    fixed: dict[int, list[tuple]] = {}
    for idx, first, last, gender, slot in P.FIXED_PEOPLE:
        fixed.setdefault(idx, []).append((first, last, gender, slot))
    used = {(first, last) for _, first, last, _, _ in P.FIXED_PEOPLE}
    for idx, (name, industry, size, country, city) in enumerate(P.COMPANIES):
        domain = f"{ascii_slug(name)}-demo.com"
        company = Company(name=name, domain=domain, industry=industry, size=size, country=country,
                          created_at=now - timedelta(days=rng.randrange(45, 60)))
        d.companies.append(company)
        d.city_of[idx] = city
        preset = fixed.get(idx, [])
        slots = list(P.PERSONA_SLOTS[: P.PROSPECTS_PER_SIZE[size]])
        for *_, slot in preset:
            slots.remove(slot)
        people = list(preset)
        for slot in slots:
            gender = rng.choice("mf")
            while True:
                first = rng.choice(P.FIRST_NAMES[(country, gender)])
                last = rng.choice(P.LAST_NAMES[(country, gender)])
                if (first, last) not in used:
                    used.add((first, last))
                    break
            people.append((first, last, gender, slot))
        for first, last, gender, slot in people:
            d.prospects.append(_prospect(rng, d, company, idx, first, last, gender, slot, now))
    session.add_all(d.companies)
    session.add_all(d.prospects)


def _prospect(rng: random.Random, d: Directory, company: Company, idx: int, first: str, last: str,
              gender: str, slot: str, now: datetime) -> Prospect:
    country, city = company.country, d.city_of[idx]
    masc, fem = P.TITLES[(country, slot)]
    title = rng.choice(fem if gender == "f" else masc)
    email = _email(rng, country, first, last, company.domain, d.emails)
    low, high = P.EMPLOYEES[company.size]
    fields: dict = {"employees": rng.randrange(low, high), "source": rng.choice(P.LEAD_SOURCES),
                    "crm_rating": rng.randrange(0, 80, 5)}  # from the old CRM; the real score is lead scoring's
    if rng.random() < 0.85:  # the rest exercise `| default("your ERP")` in the copy
        fields["erp"] = rng.choice(P.ERPS[country])
    li_handle = f"{ascii_slug(first)}-{ascii_slug(last)}-{rng.randrange(16**6):06x}"
    owner = d.users["rep2"] if country == "US" else d.users["rep"]
    return Prospect(
        email=email, email_normalized=email.strip().lower(), first_name=first, last_name=last, title=title,
        company=company, persona=d.personas.get(slot), phone=_phone(rng, country, city),
        linkedin_url=f"https://www.linkedin.com/in/{li_handle}", timezone=P.CITIES[country][city],
        country=country, city=city, language=P.LANGUAGE[country], owner=owner,
        status=ProspectStatus.ACTIVE, fields=fields,
        created_at=now - timedelta(days=rng.randrange(42, 56), minutes=rng.randrange(600)),
    )
