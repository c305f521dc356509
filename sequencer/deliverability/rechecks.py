"""The periodic DNS re-checks: every sending and tracking domain daily, new mailboxes' domains every few minutes."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from sequencer.accounts.workspace import get_workspace
from sequencer.deliverability import domains, tracking_domain
from sequencer.deliverability.dns_lookup import Lookup
from sequencer.models import Mailbox
from sequencer.platform.security import SecretBox


def tracking_domains(session: Session) -> list[str]:
    """Every tracking domain in use: the workspace's and the mailboxes' own."""
    found = {d for d in session.scalars(select(Mailbox.tracking_domain).where(Mailbox.tracking_domain.is_not(None)))
             if d}
    workspace_domain = get_workspace(session).tracking_domain
    return sorted(found | ({workspace_domain} if workspace_domain else set()))


def recheck_all(session: Session, lookup: Lookup, secrets: SecretBox, base_url: str, now: datetime,
                only_waiting: bool = False) -> dict:
    """Check the domains (only those holding back a new mailbox, with `only_waiting`); returns a summary."""
    summary = domains.recheck(session, lookup, secrets, now, only_waiting=only_waiting)
    if not only_waiting:
        checked = [tracking_domain.check(session, d, lookup, base_url, now) for d in tracking_domains(session)]
        summary["tracking_failing"] = [c.domain for c in checked if not c.passed]
    return summary
