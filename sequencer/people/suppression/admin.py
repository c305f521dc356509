"""Keeping the suppression list by hand or from a CSV: addresses and whole domains (competitors,
customers, do-not-contact). Adding one stops every live enrolment it covers at once.

Who may add what (every door comes through `add_entries`): managers and admins anything; a rep only the
addresses of their own prospects, never a domain (it would stop teammates' enrolments)."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import delete, func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from sequencer.accounts.permissions import may_suppress_address, may_suppress_domains, require_lift_suppression
from sequencer.accounts.users import normalize_email
from sequencer.errors import Conflict, DomainError, Forbidden, Invalid, NotFound
from sequencer.models import Enrollment, Prospect, Suppression, User
from sequencer.models.crm import SuppressionKind
from sequencer.outreach.enrollment import LIVE, exit_enrollment
from sequencer.people import fields
from sequencer.people.csv_import.reading import UnreadableFile, records, sniff
from sequencer.texts import tr

REASONS = {"do_not_contact": tr("Do not contact"), "competitor": tr("Competitor"), "customer": tr("Existing customer"),
           "manual": tr("Added by hand"), "unsubscribed": tr("Unsubscribed"), "bounced": tr("Bounced"),
           "complained": tr("Spam complaint"), "erased": tr("Erased (GDPR)")}
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


def check_may_add(session: Session, actor: User, parsed: list[tuple[int, SuppressionKind, str]]) -> None:
    """Forbidden (and nothing added) when `actor` may not add one of the entries; the first few are named."""
    refused = [(line, value) for line, kind, value in parsed if kind == SuppressionKind.DOMAIN]
    if refused and may_suppress_domains(actor):
        refused = []
    emails = [value for _, kind, value in parsed if kind == SuppressionKind.EMAIL]
    owners = {p.email_normalized: p for p in session.scalars(
        select(Prospect).where(Prospect.email_normalized.in_(emails)))} if emails else {}
    refused += [(line, value) for line, kind, value in parsed
                if kind == SuppressionKind.EMAIL and not may_suppress_address(actor, owners.get(value))]
    if refused:
        named = ", ".join(f"line {line} ({value[:60]})" for line, value in sorted(refused)[:3])
        raise Forbidden(tr("reps can suppress the addresses of their own prospects only; ask a manager to "
                           "suppress a domain or someone else's address: %(entries)s", entries=named))


def add_entries(session: Session, entries: list[tuple[int, str]], reason: str, now: datetime,
                note: str | None = None, *, actor: User) -> Added:
    """Add (line, raw value) entries for `actor`; bad ones are reported, existing ones left alone."""
    result = Added(invalid=[])
    parsed: list[tuple[int, SuppressionKind, str]] = []
    for line, raw in entries:
        entry = parse_entry(raw)
        if entry is None:
            result.invalid.append((line, raw))
        else:
            parsed.append((line, *entry))
    check_may_add(session, actor, parsed)
    for _, kind, value in parsed:
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


def import_entries(session: Session, path: str, reason: str, now: datetime, *, actor: User) -> Added:
    """A CSV (or plain list) of addresses and domains: the first cell of each row; a header is skipped."""
    try:
        encoding, delimiter, _ = sniff(path)
        entries = [(r.line, r.cells[0]) for r in records(path, encoding, delimiter) if r.cells and r.cells[0].strip()]
    except UnreadableFile as exc:
        said = exc.args[0] if exc.args else str(exc)
        raise Invalid(said, [{"field": "file", "message": said}]) from None
    if entries and parse_entry(entries[0][1]) is None:
        entries = entries[1:]  # a header row
    return add_entries(session, entries, reason, now, actor=actor)


def remove_entry(session: Session, suppression_id: int, *, actor: User) -> None:
    """Lift an address or domain (managers); an erased person's hash stays for good."""
    require_lift_suppression(actor)
    row = session.get(Suppression, suppression_id)
    if row is None:
        raise NotFound(tr("no such entry"))
    if row.kind == SuppressionKind.EMAIL_HASH:
        raise Conflict(tr("an erased person stays suppressed"))
    session.execute(delete(Suppression).where(Suppression.id == row.id))
