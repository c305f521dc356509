"""Lookups against the suppression list (addresses, whole domains and hashes of erased addresses),
in bulk or one at a time."""
from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from sequencer.models import Prospect, ProspectStatus, Suppression
from sequencer.models.crm import SuppressionKind

CHUNK = 1000


def _domain(email: str) -> str:
    return email.rsplit("@", 1)[-1]


def email_hash(email: str) -> str:
    """What an erased person leaves behind: enough to recognise the address, not to read it."""
    return hashlib.sha256(email.strip().lower().encode()).hexdigest()


def chunks(items: Sequence, size: int = CHUNK) -> Iterable[Sequence]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def _in(session: Session, column, values):
    return column.in_(values)


def suppression_reasons(session: Session, emails: Sequence[str], among=_in) -> dict[str, str]:
    """(Normalised) email → why it is suppressed (`email`, `domain` or `erased`); one query per chunk.

    `among(session, column, values)` builds the membership test (imports pass a PostgreSQL array form).
    """
    hit: dict[str, str] = {}
    for part in chunks(list(dict.fromkeys(emails))):
        hashes = {email_hash(e): e for e in part}
        rows = session.execute(select(Suppression.kind, Suppression.value).where(or_(
            (Suppression.kind == SuppressionKind.EMAIL) & among(session, Suppression.value, part),
            (Suppression.kind == SuppressionKind.DOMAIN) & among(session, Suppression.value,
                                                                 list({_domain(e) for e in part})),
            (Suppression.kind == SuppressionKind.EMAIL_HASH) & among(session, Suppression.value, list(hashes))))).all()
        blocked_emails = {v for k, v in rows if k == SuppressionKind.EMAIL}
        blocked_domains = {v for k, v in rows if k == SuppressionKind.DOMAIN}
        erased = {hashes[v] for k, v in rows if k == SuppressionKind.EMAIL_HASH}
        for e in part:
            if e in erased:
                hit[e] = "erased"
            elif e in blocked_emails:
                hit[e] = "email"
            elif _domain(e) in blocked_domains:
                hit[e] = "domain"
    return hit


def suppressed_among(session: Session, emails: Sequence[str]) -> set[str]:
    """Which of these (normalised) emails are suppressed, by address, domain or erased-address hash."""
    return set(suppression_reasons(session, emails))


def is_suppressed(session: Session, email: str) -> bool:
    return bool(suppressed_among(session, [email.strip().lower()]))


def not_contactable(prospect: Prospect, suppressed: Iterable[str]) -> str | None:
    """Why no email may go to this prospect now (their status, or the suppression list), else None: every send asks."""
    if prospect.status != ProspectStatus.ACTIVE:
        return prospect.status.value
    if prospect.email_normalized in suppressed:
        return "suppressed"
    return None
