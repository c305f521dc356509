"""Our side of deliverability: sender-side rejections and complaints counted per mailbox, and the one rule that
pauses a mailbox (used by SMTP-time refusals in mail/ and by reports arriving in inbound/ alike).

A mailbox pauses itself when sender-side rejections reach the workspace's threshold within its window
(default 5 in an hour, counted since the last resume), or when over its last 200 sends (since the last
resume) hard bounces pass 5% or spam complaints pass 0.3%, with the reason in plain words; each active admin
gets a task, and `mail.notify` emails them (the `mailbox_paused` event is what it looks for).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from sequencer.accounts.permissions import is_admin
from sequencer.accounts.workspace import get_workspace
from sequencer.errors import Invalid
from sequencer.inbound.bounces.taxonomy import plain_words
from sequencer.models import Event, Mailbox, Task, User
from sequencer.models.mail import MailboxStatus
from sequencer.models.tasks import TaskType

SENDER_REJECTED = "sender_rejected"
PAUSED_TASK = "mailbox-paused:"  # the dedupe key's prefix of the admins' tasks: mail.notify emails them
PROVIDERS = {"gmail": "Gmail", "yahoo": "Yahoo", "outlook_com": "Outlook.com", "office365": "Microsoft 365",
             "exchange": "Exchange", "apple_icloud": "iCloud", "gmx_webde": "GMX/WEB.DE", "yandex": "Yandex",
             "zoho": "Zoho", "mimecast": "Mimecast", "proofpoint": "Proofpoint", "barracuda": "Barracuda",
             "mcafee": "McAfee", "trend_micro": "Trend Micro", "amazon_ses": "Amazon SES"}
_AUTH = re.compile(r"\b(DMARC|DKIM|SPF)\b", re.I)


@dataclass
class Rejection:
    """One sender-side refusal, as any door saw it."""

    reason: str
    status: str | None = None
    diagnostic: str = ""
    mta: str = "unknown"
    recipient: str | None = None


def pause_mailbox(session: Session, mailbox: Mailbox, reason: str, now: datetime, automatic: bool = False) -> None:
    """Stop sending from the mailbox; its messages wait. An automatic pause gives each admin a task (and an email,
    sent by mail.notify for the `mailbox_paused` event)."""
    mailbox.status, mailbox.paused_reason = MailboxStatus.PAUSED, reason
    session.add(Event(kind="mailbox_paused", occurred_at=now, mailbox_id=mailbox.id,
                      payload={"reason": reason, "automatic": automatic}))
    if automatic:
        _admin_tasks(session, mailbox, reason, now)


def plain_reason(rejection: Rejection, mailbox: Mailbox) -> str:
    """"Gmail rejects our mail: DMARC failure for acme.example"."""
    domain = mailbox.email.rsplit("@", 1)[-1]
    who = PROVIDERS.get(rejection.mta) or (rejection.recipient.rsplit("@", 1)[-1] if rejection.recipient else
                                           "A receiving server")
    if rejection.reason == "auth_failure":
        found = _AUTH.search(rejection.diagnostic)
        what = f"{found.group(1).upper() if found else 'SPF/DKIM/DMARC'} failure for {domain}"
    else:
        what = f"{plain_words(rejection.reason)} ({domain})"
    code = f" [{rejection.status}]" if rejection.status else ""
    return f"{who} rejects our mail: {what}{code}"


def _since(session: Session, mailbox: Mailbox, now: datetime, window: timedelta) -> datetime:
    resumed = session.scalar(select(func.max(Event.occurred_at)).where(
        Event.mailbox_id == mailbox.id, Event.kind == "mailbox_resumed"))
    return max(now - window, resumed) if resumed else now - window


def record_sender_rejection(session: Session, mailbox: Mailbox | None, rejection: Rejection, now: datetime,
                            **links) -> bool:
    """Count one rejection against the mailbox; pause it when the threshold is reached. True when it paused now."""
    session.add(Event(kind=SENDER_REJECTED, occurred_at=now, mailbox_id=mailbox.id if mailbox else None,
                      payload={"reason": rejection.reason, "status": rejection.status, "mta": rejection.mta,
                               "diagnostic": rejection.diagnostic[:500], "recipient": rejection.recipient}, **links))
    session.flush()
    if mailbox is None or mailbox.status != MailboxStatus.ACTIVE:
        return False
    ws = get_workspace(session)
    window = timedelta(minutes=ws.sender_rejection_window_minutes)
    count = session.scalar(select(func.count()).select_from(Event).where(
        Event.mailbox_id == mailbox.id, Event.kind == SENDER_REJECTED,
        Event.occurred_at >= _since(session, mailbox, now, window))) or 0
    if count < ws.sender_rejection_threshold:
        return False
    reason = f"{plain_reason(rejection, mailbox)} — {count} sender-side rejections within {_minutes(window)}"
    pause_mailbox(session, mailbox, reason, now, automatic=True)
    return True


RATE_WINDOW, MIN_SAMPLE = 200, 20  # fewer sends than MIN_SAMPLE count as MIN_SAMPLE: one early bounce is no rate
RATE_LIMITS = (("bounced", 0.05, "hard-bounce rate", "the list has addresses that do not exist: verify it"),
               ("complained", 0.003, "spam complaint rate", "Gmail and Yahoo block senders above 0.3%: "
                                                            "check the targeting and the content"))


def check_rates(session: Session, mailbox: Mailbox | None, now: datetime) -> bool:
    """Pause the mailbox when its hard-bounce or complaint rate over the last 200 sends is past the limit.
    True when it paused now; called whenever a hard bounce or a complaint is recorded against it."""
    if mailbox is None or mailbox.status != MailboxStatus.ACTIVE:
        return False
    sends = session.scalars(select(Event.occurred_at).where(Event.mailbox_id == mailbox.id, Event.kind == "sent")
                            .order_by(Event.occurred_at.desc()).limit(RATE_WINDOW)).all()
    resumed = session.scalar(select(func.max(Event.occurred_at)).where(
        Event.mailbox_id == mailbox.id, Event.kind == "mailbox_resumed"))
    since = max(t for t in (sends[-1] if sends else None, resumed) if t is not None) if sends or resumed else None
    for kind, limit, label, advice in RATE_LIMITS:
        query = select(func.count()).select_from(Event).where(Event.mailbox_id == mailbox.id, Event.kind == kind)
        count = session.scalar(query.where(Event.occurred_at >= since) if since else query) or 0
        rate = count / max(len(sends), MIN_SAMPLE)
        if rate > limit:
            reason = (f"{label} {rate:.1%} over the last {len(sends)} sends ({count} of them; the limit is "
                      f"{limit:.1%}): {advice}, then resume")
            pause_mailbox(session, mailbox, reason, now, automatic=True)
            return True
    return False


def _minutes(window: timedelta) -> str:
    minutes = int(window.total_seconds() // 60)
    return "an hour" if minutes == 60 else f"{minutes} minutes"


def _admin_tasks(session: Session, mailbox: Mailbox, reason: str, now: datetime) -> None:
    admins = [u for u in session.scalars(select(User).where(User.active.is_(True)).order_by(User.id)) if is_admin(u)]
    for admin in admins:
        session.add(Task(type=TaskType.TODO, owner_id=admin.id, priority=1, due_at=now,
                         dedupe_key=f"{PAUSED_TASK}{mailbox.id}:{admin.id}:{now:%Y%m%dT%H%M%S.%f}",
                         title=f"Mailbox {mailbox.email} paused itself"[:300],
                         instructions=f"{reason}\n\nFix the cause (sending setup: SPF, DKIM, DMARC, IP reputation, "
                                      "content; or the SMTP settings), then resume the mailbox in Settings → "
                                      "Mailboxes. Its messages are waiting."))


def _count(session: Session, mailbox_id: int, kind: str, since: datetime) -> int:
    return session.scalar(select(func.count()).select_from(Event).where(
        Event.mailbox_id == mailbox_id, Event.kind == kind, Event.occurred_at >= since)) or 0


def health(session: Session, mailbox: Mailbox, now: datetime) -> dict:
    """The API's `health`: 7-day sends, hard bounce and complaint rates, sender-side rejections, why paused."""
    since = now - timedelta(days=7)
    sent = _count(session, mailbox.id, "sent", since)
    bounced, complained = (_count(session, mailbox.id, k, since) for k in ("bounced", "complained"))
    return {"sent_7d": sent, "hard_bounce_rate": round(bounced / sent, 4) if sent else 0.0,
            "complaint_rate": round(complained / sent, 4) if sent else 0.0,
            "sender_rejections_7d": _count(session, mailbox.id, SENDER_REJECTED, since),
            "paused_reason": mailbox.paused_reason}


DAILY_KINDS = ("sent", "bounced", "soft_bounced", SENDER_REJECTED, "complained", "replied")


def per_day(session: Session, mailbox_id: int, now: datetime, days: int = 14) -> list[dict]:
    """Per UTC day, oldest first: sent, hard and soft bounces, sender-side rejections (and by provider),
    complaints and replies; counted by one GROUP BY over the mailbox's events."""
    first = (now - timedelta(days=days - 1)).date()
    since = datetime(first.year, first.month, first.day, tzinfo=now.tzinfo)
    day = func.date(Event.occurred_at)
    rows = session.execute(select(Event.kind, day, func.count()).where(
        Event.mailbox_id == mailbox_id, Event.kind.in_(DAILY_KINDS), Event.occurred_at >= since)
        .group_by(Event.kind, day)).all()
    table: dict[date, dict] = {}
    for i in range(days):
        one = first + timedelta(days=i)
        table[one] = {"day": one, **dict.fromkeys(DAILY_KINDS, 0), "by_provider": {}}
    for kind, on, count in rows:
        on = on if isinstance(on, date) else date.fromisoformat(str(on))
        if on in table:
            table[on][kind] = count
    for at, payload in session.execute(select(Event.occurred_at, Event.payload).where(
            Event.mailbox_id == mailbox_id, Event.kind == SENDER_REJECTED, Event.occurred_at >= since)):
        if at.date() in table:
            who = PROVIDERS.get((payload or {}).get("mta") or "", "other")
            counts = table[at.date()]["by_provider"]
            counts[who] = counts.get(who, 0) + 1
    return list(table.values())


def set_pause_rule(session: Session, threshold: object, window_minutes: object) -> None:
    """Change when mailboxes pause themselves: `threshold` rejections within `window_minutes` (Invalid names the field)."""
    ws = get_workspace(session)
    for field, value, low, high in (("sender_rejection_threshold", threshold, 1, 1000),
                                    ("sender_rejection_window_minutes", window_minutes, 5, 10_080)):
        try:
            number = int(str(value).strip())
        except ValueError:
            raise Invalid.field(field, "must be a whole number") from None
        if not low <= number <= high:
            raise Invalid.field(field, f"must be between {low} and {high}")
        setattr(ws, field, number)
