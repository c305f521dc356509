"""Keeping the suppression list by hand or from a CSV: addresses and whole domains (competitors,
customers, do-not-contact). Adding one stops every live enrolment it covers at once."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import delete, func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from sequencer.accounts.users import normalize_email
from sequencer.errors import Conflict, DomainError, Invalid, NotFound
from sequencer.models import Enrollment, Prospect, Suppression
from sequencer.models.crm import SuppressionKind
from sequencer.outreach.enrollment import LIVE, exit_enrollment
from sequencer.people import fields
from sequencer.people.csv_import.reading import UnreadableFile, records, sniff

REASONS = {"do_not_contact": "Do not contact", "competitor": "Competitor", "customer": "Existing customer",
           "manual": "Added by hand", "unsubscribed": "Unsubscribed", "bounced": "Bounced", "complained": "Spam complaint",
           "erased": "Erased (GDPR)"}
ADDABLE = ("do_not_contact", "competitor", "customer")


@dataclass
class Added:
    added: int = 0
    already: int = 0
    invalid: list[tuple[int, str]] = field(default_factory=list)  # (line, value)
    stopped: int = 0


def parse_entry(value: str) -> tuple[SuppressionKind, str] | None:
    """`anna@acme.com` → an address; `acme.com` or `@acme.com` → the whole domain; None if neither."""
    value = value.strip()
    if "@" in value.lstrip("@"):
        try:
            return SuppressionKind.EMAIL, normalize_email(value)
        except DomainError:
            return None
    domain = fields.domain(value.lstrip("@"))[0] if value else None
    return (SuppressionKind.DOMAIN, domain) if domain else None


def _insert(session: Session):
    return postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert


def stop_covered(session: Session, kind: SuppressionKind, value: str, now: datetime) -> int:
    """Exit the live enrolments of every prospect this entry covers; returns how many stopped."""
    if kind == SuppressionKind.EMAIL:
        match = Prospect.email_normalized == value
    elif kind == SuppressionKind.DOMAIN:
        match = func.lower(Prospect.email_normalized).like(f"%@{value}")
    else:
        return 0
    live = session.scalars(select(Enrollment).join(Prospect, Prospect.id == Enrollment.prospect_id)
                           .where(match, Enrollment.status.in_(LIVE))).all()
    for enrollment in live:
        exit_enrollment(session, enrollment, now, "suppressed")
    return len(live)


def add_entries(session: Session, entries: list[tuple[int, str]], reason: str, now: datetime,
                note: str | None = None) -> Added:
    """Add (line, raw value) entries; bad ones are reported, existing ones left alone."""
    result = Added(invalid=[])
    for line, raw in entries:
        parsed = parse_entry(raw)
        if parsed is None:
            result.invalid.append((line, raw))
            continue
        kind, value = parsed
        inserted = session.execute(_insert(session)(Suppression).values(
            kind=kind.value, value=value, reason=reason, note=note, created_at=now)
            .on_conflict_do_nothing(index_elements=["kind", "value"]).returning(Suppression.id)).scalar()
        if inserted:
            result.added += 1
            result.stopped += stop_covered(session, kind, value, now)
        else:
            result.already += 1
    session.flush()
    return result


def import_entries(session: Session, path: str, reason: str, now: datetime) -> Added:
    """A CSV (or plain list) of addresses and domains: the first cell of each row; a header is skipped."""
    try:
        encoding, delimiter, _ = sniff(path)
        entries = [(r.line, r.cells[0]) for r in records(path, encoding, delimiter) if r.cells and r.cells[0].strip()]
    except UnreadableFile as exc:
        raise Invalid(str(exc), [{"field": "file", "message": str(exc)}]) from None
    if entries and parse_entry(entries[0][1]) is None:
        entries = entries[1:]  # a header row
    return add_entries(session, entries, reason, now)


def remove_entry(session: Session, suppression_id: int) -> None:
    """Lift an address or domain; an erased person's hash stays for good."""
    row = session.get(Suppression, suppression_id)
    if row is None:
        raise NotFound("no such entry")
    if row.kind == SuppressionKind.EMAIL_HASH:
        raise Conflict("an erased person stays suppressed")
    session.execute(delete(Suppression).where(Suppression.id == row.id))
