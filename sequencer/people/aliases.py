"""One person, one prospect: `anna+news@acme.com` (and Gmail's dotted spellings) is Anna's address.

Every door that creates prospects (the API and the UI through `create_prospect`, the CSV import) asks here
whether an address is an alias of a prospect that already exists.
"""
from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from sequencer.models import Prospect

CHUNK = 1000


def alias_key(email: str) -> str:
    """`Anna.B+news@gmail.com` and `annab@googlemail.com` → the same key."""
    local, _, domain = email.lower().partition("@")
    local = local.split("+", 1)[0]
    if domain in ("gmail.com", "googlemail.com"):
        local, domain = local.replace(".", ""), "gmail.com"
    return f"{local}@{domain}"


def alias_owners(session: Session, emails: Iterable[str]) -> dict[str, Prospect]:
    """(Normalised) email → the existing prospect whose plain address it is an alias of; one query per chunk."""
    bases = {e: alias_key(e) for e in dict.fromkeys(emails) if alias_key(e) != e}
    wanted = list(set(bases.values()))
    found: dict[str, Prospect] = {}
    for start in range(0, len(wanted), CHUNK):
        found.update({p.email_normalized: p for p in session.scalars(
            select(Prospect).where(Prospect.email_normalized.in_(wanted[start:start + CHUNK])))})
    return {e: found[b] for e, b in bases.items() if b in found}


def find_same_person(session: Session, email: str) -> Prospect | None:
    """The prospect a new address belongs to: the same address (case and spaces already folded by `clean_email`),
    else one that differs only by a `+tag` (`anna+web@acme.com` is `anna@acme.com`)."""
    exact = session.scalars(select(Prospect).where(Prospect.email_normalized == email)).first()
    if exact is not None:
        return exact
    local, _, domain = email.partition("@")
    base = local.split("+", 1)[0]
    if not base or not domain:
        return None
    tagged = f"{base}+%@{domain}".replace("_", "\\_")
    candidates = session.scalars(select(Prospect).where(
        (Prospect.email_normalized == f"{base}@{domain}") | Prospect.email_normalized.like(tagged, escape="\\"))
        .order_by(Prospect.id).limit(20)).all()
    return next((p for p in candidates if alias_key(p.email_normalized) == alias_key(email)), None)
