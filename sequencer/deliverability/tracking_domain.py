"""Custom tracking domains: links and pixels on the team's own host (a CNAME to ours), not a shared one.

A mailbox's domain wins over the workspace's; either is used only once its CNAME check passed, so a
half-configured domain never breaks the links in mail already sent.
"""
from __future__ import annotations

import re
from datetime import datetime
from urllib.parse import urlsplit

from sqlalchemy.orm import Session

from sequencer.deliverability import finding_texts as t
from sequencer.deliverability.dns_lookup import DnsUnavailable, Lookup
from sequencer.deliverability.domain_checks import check_tracking_domain
from sequencer.deliverability.domains import save_verdict, stored
from sequencer.errors import Invalid
from sequencer.models import DomainCheck, Mailbox, Workspace
from sequencer.texts import tr

TRACKING = "tracking"
_HOST = re.compile(r"^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")


def clean_domain(value: object, field: str = "tracking_domain") -> str | None:
    """A host name like track.acme.example (no scheme, no path), or None to use the default."""
    text = str(value or "").strip().lower().rstrip(".")
    if not text:
        return None
    if not _HOST.match(text):
        raise Invalid.field(field, tr("must be a host name such as track.acme.example (no scheme or path)"))
    return text


def check(session: Session, domain: str, lookup: Lookup, base_url: str, now: datetime) -> DomainCheck:
    """Check the CNAME now and store the verdict."""
    target = urlsplit(base_url).hostname or ""
    try:
        finding = check_tracking_domain(lookup, domain, target)
    except DnsUnavailable as exc:
        return save_verdict(session, TRACKING, domain, [t.said(t.CHECKED_LATER, error=str(exc))], {}, now)
    return save_verdict(session, TRACKING, domain, [finding.problem] if finding.problem else [],
                        {"cname": finding.found, "expected": target}, now)


def domain_for(mailbox: Mailbox, workspace: Workspace) -> str | None:
    return mailbox.tracking_domain or workspace.tracking_domain


def tracking_base(session: Session, mailbox: Mailbox, workspace: Workspace, base_url: str) -> str:
    """The base URL of this mailbox's links and pixels: its verified tracking domain, else BASE_URL."""
    domain = domain_for(mailbox, workspace)
    if not domain:
        return base_url
    verdict = stored(session, TRACKING, domain)
    if verdict is None or not verdict.passed:
        return base_url
    return f"{urlsplit(base_url).scheme or 'https'}://{domain}"
