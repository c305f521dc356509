"""A mailbox's deliverability settings from API/form input: warm-up, pool, DKIM selector, tracking domain;
and what a new SMTP mailbox starts with (a warm-up from today, held until its domain's DNS check passes)."""
from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from sequencer.deliverability import warmup
from sequencer.deliverability.dkim import clean_selector
from sequencer.deliverability.tracking_domain import clean_domain
from sequencer.errors import Invalid
from sequencer.models import Mailbox, MailboxPool
from sequencer.texts import tr


def clean_input(session: Session, data: dict, today: date) -> dict:
    """Column values for the deliverability fields present in `data`; Invalid names the field."""
    out: dict = {}
    if "warmup" in data:
        out.update(warmup.clean_warmup(data["warmup"], today))
    if "pool_id" in data:
        out["pool_id"] = _pool_id(session, data["pool_id"])
    if "dkim_selector" in data:
        out["dkim_selector"] = clean_selector(data["dkim_selector"]) if data["dkim_selector"] else None
    if "tracking_domain" in data:
        out["tracking_domain"] = clean_domain(data["tracking_domain"])
    return out


def _pool_id(session: Session, value: object) -> int | None:
    if value in (None, ""):
        return None
    text = str(value).strip()
    if isinstance(value, bool) or not text.isdecimal() or not 0 < int(text) < 2**31:
        raise Invalid.field("pool_id", tr("must be a mailbox pool id"))
    if session.get(MailboxPool, int(text)) is None:
        raise Invalid.field("pool_id", tr("no such mailbox pool"))
    return int(text)


def start_new(mailbox: Mailbox, data: dict, today: date) -> None:
    """A new SMTP mailbox ramps from today (unless the input set its warm-up) and waits for its DNS check."""
    if mailbox.transport.value != "smtp":
        return
    mailbox.awaiting_domain_check = True
    if "warmup" not in data:
        mailbox.warmup_started_on = today


def serialize(mailbox: Mailbox, today: date) -> dict:
    """The API's deliverability fields (`warmup` carries where the ramp is today)."""
    ramp = warmup.serialize(mailbox)
    if ramp is not None:
        stage = warmup.stage(mailbox, today)
        ramp.update(limit_today=stage.limit_today,
                    full_speed_on=stage.full_speed_on.isoformat() if stage.full_speed_on else None)
    return {"warmup": ramp, "pool_id": mailbox.pool_id, "dkim_selector": mailbox.dkim_selector,
            "dkim_signing": mailbox.dkim_signing, "tracking_domain": mailbox.tracking_domain,
            "awaiting_domain_check": mailbox.awaiting_domain_check}
