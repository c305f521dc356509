"""Finding people who are in the CRM twice, and merging two of them into one.

Likely duplicates: alias addresses (`anna+news@acme.com`, Gmail's dots) and the same name at the
same company under different addresses. A merge keeps one prospect and moves everything of the
other to it: enrolments, events, tasks, opportunities, inbound messages and import history.
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from sequencer.errors import Invalid
from sequencer.models import (
    Enrollment,
    Event,
    ImportedProspect,
    InboundMessage,
    Opportunity,
    Prospect,
    ProspectStatus,
    Task,
    User,
)
from sequencer.outreach.enrollment import LIVE, exit_enrollment
from sequencer.people.aliases import alias_key
from sequencer.people.csv_import.rows import FREE_MAIL
from sequencer.texts import tr

STRICTNESS = [ProspectStatus.ACTIVE, ProspectStatus.BOUNCED, ProspectStatus.DO_NOT_CONTACT,
              ProspectStatus.UNSUBSCRIBED]
FILLABLE = ("first_name", "last_name", "title", "company_id", "persona_id", "phone", "linkedin_url", "timezone",
            "country", "city", "language", "owner_id")


@dataclass
class Pair:
    a: Prospect
    b: Prospect
    reason: str


def _name(p: Prospect) -> str:
    text = f"{p.first_name} {p.last_name}".casefold()
    return " ".join("".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c)).split())


def _org(p: Prospect) -> str | None:
    if p.company_id:
        return f"c{p.company_id}"
    domain = p.email_normalized.rsplit("@", 1)[-1]
    return None if domain in FREE_MAIL else f"d{domain}"


def likely_duplicates(session: Session, limit: int = 100) -> list[Pair]:
    by_alias: dict[str, Prospect] = {}
    by_person: dict[tuple, Prospect] = {}
    pairs: list[Pair] = []
    seen: set[tuple[int, int]] = set()

    def add(a: Prospect, b: Prospect, reason: str) -> None:
        key = (min(a.id, b.id), max(a.id, b.id))
        if key not in seen:
            seen.add(key)
            pairs.append(Pair(a, b, reason))

    for p in session.scalars(select(Prospect).order_by(Prospect.id)).yield_per(2000):
        alias = alias_key(p.email_normalized)
        if alias in by_alias:
            add(by_alias[alias], p, tr("alias of the same address"))
        else:
            by_alias[alias] = p
        name, org = _name(p), _org(p)
        if len(name) > 3 and " " in name and org:
            if (name, org) in by_person:
                add(by_person[(name, org)], p, tr("same name at the same company"))
            else:
                by_person[(name, org)] = p
        if len(pairs) >= limit:
            break
    return pairs


def merge_prospects(session: Session, keep: Prospect, drop: Prospect, actor: User, now: datetime) -> Prospect:
    """Fold `drop` into `keep`; the stricter status wins (an unsubscribe is never lost)."""
    if keep.id == drop.id:
        raise Invalid(tr("choose two different prospects"))
    kept_live = set(session.scalars(select(Enrollment.sequence_id).where(
        Enrollment.prospect_id == keep.id, Enrollment.status.in_(LIVE))))
    for enrollment in session.scalars(select(Enrollment).where(Enrollment.prospect_id == drop.id,
                                                               Enrollment.status.in_(LIVE))):
        if enrollment.sequence_id in kept_live:  # one person, one run through a sequence
            exit_enrollment(session, enrollment, now, "merged")
    for model in (Enrollment, Event, Task, Opportunity, InboundMessage):
        session.execute(update(model).where(model.prospect_id == drop.id).values(prospect_id=keep.id)
                        .execution_options(synchronize_session=False))
    kept_imports = select(ImportedProspect.import_id).where(ImportedProspect.prospect_id == keep.id)
    session.execute(delete(ImportedProspect).where(ImportedProspect.prospect_id == drop.id,
                                                   ImportedProspect.import_id.in_(kept_imports)))
    session.execute(update(ImportedProspect).where(ImportedProspect.prospect_id == drop.id)
                    .values(prospect_id=keep.id))
    for key in FILLABLE:
        if getattr(keep, key) in (None, "") and getattr(drop, key) not in (None, ""):
            setattr(keep, key, getattr(drop, key))
    fields = {**(drop.fields or {}), **(keep.fields or {})}
    fields["other_emails"] = sorted({*fields.get("other_emails", []), drop.email_normalized})
    keep.fields = fields
    keep.status = max(keep.status, drop.status, key=STRICTNESS.index)
    keep.updated_at = now
    dropped_id, dropped_email = drop.id, drop.email_normalized
    session.delete(drop)
    session.flush()
    session.add(Event(kind="merged", occurred_at=now, prospect_id=keep.id, user_id=actor.id,
                      payload={"merged_prospect_id": dropped_id, "merged_email": dropped_email}))
    session.flush()
    return keep
