"""The Deliverability page's rows: each mailbox's DNS verdict, warm-up stage, health and pause, side by side."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from sequencer.accounts.workspace import get_workspace
from sequencer.deliverability import dkim, warmup
from sequencer.deliverability.domains import SENDING, domain_of
from sequencer.deliverability.tracking_domain import TRACKING, domain_for
from sequencer.inbound.bounces.mailbox_health import health, per_day
from sequencer.models import DomainCheck, Mailbox, MailboxPool
from sequencer.models.mail import MailboxStatus, Transport
from sequencer.platform import timezones
from sequencer.platform.security import SecretBox


@dataclass
class Row:
    mailbox: Mailbox
    domain: str
    auth: DomainCheck | None
    stage: warmup.Stage
    health: dict
    pool: str | None
    dkim_record: tuple[str, str] | None
    tracking: str | None
    tracking_check: DomainCheck | None

    @property
    def auth_state(self) -> str:
        """ok | accepted | failing | unchecked | outbox (the Auth column's pill)."""
        if self.mailbox.transport != Transport.SMTP:
            return "outbox"
        if self.auth is None or self.auth.checked_at is None:
            return "unchecked"
        if self.auth.passed:
            return "ok"
        return "accepted" if self.auth.acknowledged_at else "failing"

    @property
    def paused(self) -> bool:
        return self.mailbox.status == MailboxStatus.PAUSED


def rows(session: Session, now: datetime, secret_key: str) -> list[Row]:
    """Every mailbox, by email, with what the page shows; checks and pools read in one query each."""
    checks = {(c.kind, c.domain): c for c in session.scalars(select(DomainCheck))}
    pools: dict[int, str] = dict(session.execute(select(MailboxPool.id, MailboxPool.name)).all())
    workspace, secrets = get_workspace(session), SecretBox(secret_key)
    out = []
    for mailbox in session.scalars(select(Mailbox).options(joinedload(Mailbox.owner)).order_by(Mailbox.email)):
        day = timezones.local_date(now, mailbox.owner.timezone if mailbox.owner else "UTC")
        tracking = domain_for(mailbox, workspace)
        out.append(Row(mailbox=mailbox, domain=domain_of(mailbox), auth=checks.get((SENDING, domain_of(mailbox))),
                       stage=warmup.stage(mailbox, day), health=health(session, mailbox, now),
                       pool=pools.get(mailbox.pool_id) if mailbox.pool_id else None,
                       dkim_record=_record(mailbox, secrets), tracking=tracking,
                       tracking_check=checks.get((TRACKING, tracking)) if tracking else None))
    return out


def _record(mailbox: Mailbox, secrets: SecretBox) -> tuple[str, str] | None:
    try:
        return dkim.dns_record(mailbox, secrets)
    except ValueError:  # SECRET_KEY changed: the key can't be read; generating a new one fixes it
        return None


def daily(session: Session, mailbox_id: int, now: datetime) -> list[dict]:
    """The mailbox's last 14 days, newest first (sent, bounces, rejections by provider, complaints, replies)."""
    return list(reversed(per_day(session, mailbox_id, now)))
