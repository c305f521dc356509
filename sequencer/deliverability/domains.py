"""Stored DNS verdicts per domain, the gate before a new mailbox's first email, and the admin's acknowledgement.

A new SMTP mailbox waits (`awaiting_domain_check`) until its domain passes the check or an admin accepts the
findings; the dispatcher reads `gate_reason` and holds its emails with that text as the why.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from sequencer.accounts.permissions import is_admin
from sequencer.deliverability import dkim, finding_texts as t
from sequencer.deliverability.dns_lookup import DnsUnavailable, Lookup
from sequencer.deliverability.domain_checks import check_sending_domain
from sequencer.errors import Forbidden, NotFound
from sequencer.models import DomainCheck, Mailbox, User
from sequencer.models.mail import Transport
from sequencer.platform.security import SecretBox
from sequencer.texts import tr

SENDING = "sending"


def domain_of(mailbox: Mailbox) -> str:
    return mailbox.email.rsplit("@", 1)[-1].lower()


def stored(session: Session, kind: str, domain: str) -> DomainCheck | None:
    return session.scalars(select(DomainCheck).where(DomainCheck.kind == kind, DomainCheck.domain == domain)).first()


def save_verdict(session: Session, kind: str, domain: str, problems: list[str], records: dict,
                 now: datetime) -> DomainCheck:
    """Upsert one domain's verdict; a changed set of problems needs a fresh acknowledgement."""
    check = stored(session, kind, domain)
    if check is None:
        check = DomainCheck(kind=kind, domain=domain, problems=[], records={})
        session.add(check)
    if problems != check.problems:
        check.acknowledged_at = check.acknowledged_by_id = None
    check.problems, check.records, check.passed, check.checked_at = problems, records, not problems, now
    session.flush()
    return check


def check_mailbox_domain(session: Session, mailbox: Mailbox, lookup: Lookup, secrets: SecretBox,
                         now: datetime) -> DomainCheck:
    """Check the mailbox's domain now (SPF, DKIM, DMARC, MX); a pass lets its new mailboxes send."""
    domain = domain_of(mailbox)
    try:
        provider, findings = check_sending_domain(lookup, domain, mailbox.smtp_host, mailbox.dkim_selector,
                                                  dkim.public_key_value(mailbox, secrets))
    except DnsUnavailable as exc:
        return save_verdict(session, SENDING, domain, [t.said(t.CHECKED_LATER, error=str(exc))], {}, now)
    problems = [f.problem for f in findings if f.problem]
    records = {"provider": provider, **{f.record: f.found for f in findings}}
    check = save_verdict(session, SENDING, domain, problems, records, now)
    if check.passed:
        _release_gate(session, domain)
    return check


def _release_gate(session: Session, domain: str) -> None:
    session.execute(update(Mailbox).where(Mailbox.email.like(f"%@{domain}"), Mailbox.awaiting_domain_check.is_(True))
                    .values(awaiting_domain_check=False).execution_options(synchronize_session="fetch"))


def recheck(session: Session, lookup: Lookup, secrets: SecretBox, now: datetime, only_waiting: bool = False) -> dict:
    """Check every SMTP mailbox's domain once (or only those holding a new mailbox back); returns a summary."""
    query = select(Mailbox).where(Mailbox.transport == Transport.SMTP).order_by(Mailbox.id)
    if only_waiting:
        query = query.where(Mailbox.awaiting_domain_check.is_(True))
    seen: dict[str, bool] = {}
    for mailbox in session.scalars(query):
        domain = domain_of(mailbox)
        if domain not in seen:
            seen[domain] = check_mailbox_domain(session, mailbox, lookup, secrets, now).passed
    return {"checked": len(seen), "passed": sum(seen.values()), "failing": sorted(d for d, ok in seen.items() if not ok)}


def acknowledge(session: Session, domain: str, actor: User, now: datetime) -> DomainCheck:
    """An admin accepts the findings: the domain's new mailboxes may send anyway."""
    if not is_admin(actor):
        raise Forbidden(tr("only admins can accept a domain's DNS findings"))
    domain = domain.strip().lower()
    check = stored(session, SENDING, domain)
    if check is None:  # accepted before its first check (DNS unreachable from here, say): recorded as such
        if session.scalar(select(Mailbox.id).where(Mailbox.email.like(f"%@{domain}")).limit(1)) is None:
            raise NotFound(tr("no mailbox sends from %(domain)s", domain=domain))
        check = DomainCheck(kind=SENDING, domain=domain, problems=[t.ACCEPTED_UNCHECKED], records={})
        session.add(check)
    check.acknowledged_at, check.acknowledged_by_id = now, actor.id
    _release_gate(session, check.domain)
    session.flush()
    return check


def gate_reason(session: Session, mailbox: Mailbox) -> str | None:
    """Why a new mailbox may not send its first email yet, or None when it may."""
    if not mailbox.awaiting_domain_check:
        return None
    domain = domain_of(mailbox)
    check = stored(session, SENDING, domain)
    if check is None or check.checked_at is None:
        return f"new mailbox: waiting for the DNS check of {domain} (SPF, DKIM, DMARC, MX) before its first email"
    return (f"new mailbox: {domain} fails its DNS check ({'; '.join(check.problems)}); fix DNS or accept the "
            "findings on the Deliverability page")
