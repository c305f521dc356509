"""Lookups against the suppression list (addresses and whole domains), in bulk or one at a time."""
from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from sequencer.models import Suppression
from sequencer.models.crm import SuppressionKind

CHUNK = 1000


def _domain(email: str) -> str:
    return email.rsplit("@", 1)[-1]


def chunks(items: Sequence, size: int = CHUNK) -> Iterable[Sequence]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def suppressed_among(session: Session, emails: Sequence[str]) -> set[str]:
    """Which of these (normalised) emails are suppressed, by address or by domain; one query per chunk."""
    hit: set[str] = set()
    for part in chunks(list(dict.fromkeys(emails))):
        rows = session.execute(select(Suppression.kind, Suppression.value).where(or_(
            (Suppression.kind == SuppressionKind.EMAIL) & Suppression.value.in_(part),
            (Suppression.kind == SuppressionKind.DOMAIN) & Suppression.value.in_({_domain(e) for e in part})))).all()
        blocked_emails = {v for k, v in rows if k == SuppressionKind.EMAIL}
        blocked_domains = {v for k, v in rows if k == SuppressionKind.DOMAIN}
        hit |= {e for e in part if e in blocked_emails or _domain(e) in blocked_domains}
    return hit


def is_suppressed(session: Session, email: str) -> bool:
    return bool(suppressed_among(session, [email.strip().lower()]))
