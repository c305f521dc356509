"""Writing one checked batch: companies, new prospects, duplicates per the chosen option, issues.

Everything for a batch happens in one transaction together with the progress counter, so a
worker killed mid-batch leaves no trace of it and the next run starts that batch again.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, insert, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from sequencer.models import Company, ImportedProspect, ImportRowIssue, Prospect, ProspectStatus
from sequencer.outreach.suppression_lists import suppression_reasons
from sequencer.people.aliases import alias_owners
from sequencer.people.csv_import.bulk import among, insert_new_prospects, insert_rows
from sequencer.platform.db import table_of
from sequencer.scoring import attach
from sequencer.texts import tr

SUPPRESSED = {"email": tr("on the suppression list"), "domain": tr("the domain is on the suppression list"),
              "erased": tr("this person asked to be erased (GDPR); they can't be imported again")}
UPDATABLE = ("first_name", "last_name", "title", "phone", "linkedin_url", "country", "city", "timezone",
             "language", "persona_id", "company_id")


def _insert(session: Session):
    return postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert


def resolve_companies(session: Session, pairs: set[tuple[str | None, str | None]], now: datetime) -> dict:
    """(name, domain) → company id: matched by domain (else by name), created when missing."""
    out: dict = {}
    by_domain = {d: n for n, d in pairs if d}
    if by_domain:
        rows = [{"name": (n or d)[:300], "domain": d, "created_at": now} for d, n in by_domain.items()]
        session.execute(_insert(session)(Company).on_conflict_do_nothing(index_elements=["domain"]), rows)
        ids = dict(session.execute(select(Company.domain, Company.id).where(Company.domain.in_(by_domain))).all())
        out.update({(n, d): ids[d] for n, d in pairs if d})
    names = {n.lower(): n for n, d in pairs if not d and n}  # a company has a name or a domain
    if names:
        found: dict[str, int] = {}
        for lname, cid in session.execute(select(func.lower(Company.name), Company.id)
                                          .where(func.lower(Company.name).in_(names)).order_by(Company.id.desc())):
            found[lname] = cid
        for lname, name in names.items():
            if lname not in found:
                found[lname] = session.execute(insert(Company).returning(Company.id),
                                               {"name": name, "created_at": now}).scalar_one()
        out.update({(n, None): found[n.lower()] for n, d in pairs if not d and n})
    return out


def _merge(prospect: Prospect, values: dict, overwrite: bool) -> bool:
    changed = False
    for key in UPDATABLE:
        new = values.get(key)
        if new in (None, "") or getattr(prospect, key) == new:
            continue
        if overwrite or getattr(prospect, key) in (None, ""):
            setattr(prospect, key, new)
            changed = True
    fields = dict(prospect.fields or {})
    for key, value in values.get("fields", {}).items():
        if overwrite or not fields.get(key):
            changed = changed or fields.get(key) != value
            fields[key] = value
    prospect.fields = fields
    return changed


@dataclass
class _Batch:
    """One batch's running tally: issue rows (appended to the caller's list), import links and counts."""
    import_id: int
    issues: list[dict]
    raw_of: dict[int, dict]
    counts: dict[str, int]
    links: list[dict] = field(default_factory=list)

    def skip(self, line: int, kind: str, reason: str) -> None:
        self.issues.append({"import_id": self.import_id, "line": line, "kind": kind, "column": None,
                            "reason": reason, "raw": self.raw_of[line]})
        self.counts["skipped"] += 1

    def link(self, prospect_id: int, line: int, created: bool) -> None:
        self.links.append({"import_id": self.import_id, "prospect_id": prospect_id, "line": line,
                           "created": created})


def _known(session: Session, import_id: int, emails: list[str]) -> tuple[dict, dict, dict[str, Prospect]]:
    """What the database already says about these emails: suppressed, earlier in this import, existing prospect."""
    blocked = suppression_reasons(session, emails, among)
    earlier = dict(session.execute(select(Prospect.email_normalized, ImportedProspect.line)
                                   .join(ImportedProspect, ImportedProspect.prospect_id == Prospect.id)
                                   .where(ImportedProspect.import_id == import_id,
                                          among(session, Prospect.email_normalized, emails))).all())
    existing = {p.email_normalized: p for p in session.scalars(
        select(Prospect).where(among(session, Prospect.email_normalized, emails)))}
    for email, owner in alias_owners(session, [e for e in emails if e not in existing]).items():
        existing[email] = owner  # `anna+nav@` is Anna, as for the API
    return blocked, earlier, existing


def _update_existing(batch: _Batch, prospect: Prospect, values: dict, line: int, on_duplicate: str,
                     now: datetime, rep_id: int | None) -> None:
    """A row for a known prospect: skipped, or merged (filling blanks, or overwriting) as the importer chose."""
    if on_duplicate == "skip":
        batch.skip(line, "duplicate", tr("already a prospect (#%(id)s); skipped", id=prospect.id))
        return
    if rep_id is not None and prospect.owner_id != rep_id:
        batch.skip(line, "duplicate", tr("already a prospect (#%(id)s) owned by someone else; not changed",
                                          id=prospect.id))
        return
    if _merge(prospect, values, overwrite=on_duplicate == "overwrite"):
        prospect.updated_at = now
        batch.counts["updated"] += 1
    else:
        said = (tr("already a prospect (#%(id)s, %(email)s); no empty field to fill, so nothing changed",
                   id=prospect.id, email=prospect.email_normalized) if on_duplicate == "update_empty" else
                tr("already a prospect (#%(id)s, %(email)s); nothing differs, so nothing changed",
                   id=prospect.id, email=prospect.email_normalized))
        batch.skip(line, "duplicate", said)
    batch.link(prospect.id, line, created=False)


def _new_row(email: str, values: dict, now: datetime) -> dict:
    return {"email": email, "email_normalized": email, "status": ProspectStatus.ACTIVE.value,
            "created_at": now, "updated_at": now, **{k: values.get(k) for k in (
                "first_name", "last_name", "title", "phone", "linkedin_url", "country", "city",
                "timezone", "language", "persona_id", "company_id", "owner_id", "fields")}}


def _create_new(session: Session, batch: _Batch, new_rows: list[dict], line_of: dict[str, int],
                now: datetime) -> None:
    """Insert the new prospects; an email that another import or user created a moment ago is skipped."""
    ids = insert_new_prospects(session, new_rows)
    attach.prospects_created(session, list(ids.values()), now)
    for row in new_rows:
        line = line_of[row["email"]]
        if row["email"] in ids:
            batch.link(ids[row["email"]], line, created=True)
            batch.counts["created"] += 1
        else:  # created elsewhere a moment ago
            batch.skip(line, "duplicate", tr("a prospect with this email was created meanwhile; skipped"))


def write_batch(session: Session, import_id: int, good: list[tuple[int, dict]], issues: list[dict],
                on_duplicate: str, now: datetime, rep_id: int | None = None, activity: dict | None = None) -> dict:
    """Store a batch of checked rows; returns the counts to add to the import.

    `rep_id`: the importer is a rep, who may update only the prospects they own (as in the form).
    """
    batch = _Batch(import_id, issues, {line: values.pop("_raw") for line, values in good},
                   {"created": 0, "updated": 0, "skipped": 0, "failed": len({i["line"] for i in issues})})
    blocked, earlier, existing = _known(session, import_id, [v["email"] for _, v in good])
    companies = resolve_companies(session, {v["company"] for _, v in good if v["company"]}, now)
    new_rows: list[dict] = []
    seen: dict[str, int] = {}
    for line, v in good:
        email = v["email"]
        v["company_id"] = companies.get(v.pop("company")) if v.get("company") else None
        if email in blocked:
            batch.skip(line, "suppressed", SUPPRESSED[blocked[email]])
        elif email in seen or email in earlier:
            batch.skip(line, "duplicate", tr("same email as line %(line)s of this file",
                                              line=seen.get(email) or earlier[email]))
        elif email in existing:
            seen[email] = line
            _update_existing(batch, existing[email], v, line, on_duplicate, now, rep_id)
        else:
            seen[email] = line
            new_rows.append(_new_row(email, v, now))
    session.flush()
    if new_rows:
        _create_new(session, batch, new_rows, seen, now)
    if batch.links:
        insert_rows(session, table_of(ImportedProspect), batch.links)
        if activity:
            attach.imported_activities(session, import_id, batch.links, activity, now)
    if issues:
        insert_rows(session, table_of(ImportRowIssue), issues)
    return batch.counts
