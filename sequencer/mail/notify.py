"""System notifications to our own users (not prospects), sent through the same transport interface as outreach.

The stale-deal reminder to the deal's owner, and the admins' notice that a mailbox paused itself (one
email per admin task, the same way); through the owner's first mailbox (SMTP when it
is an SMTP mailbox, else the outbox; the outbox too when they have none). Each attempt is recorded as an
event and committed right after it, because that event is what keeps a reminder from being emailed twice.
"""
from __future__ import annotations

from contextlib import closing
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime, make_msgid

from sqlalchemy import select
from sqlalchemy.orm import Session

from sequencer.accounts.locales import locale_for
from sequencer.accounts.workspace import get_workspace
from sequencer.inbound.bounces.mailbox_health import PAUSED_TASK
from sequencer.mail.delivery import SendSettings
from sequencer.mail.transports import SendError, open_transport
from sequencer.models import Event, Mailbox, Task, TaskStatus, User
from sequencer.platform.i18n import localized
from sequencer.texts import tr

EMAILED = "stale_reminder_emailed"
FAILED = "stale_reminder_email_failed"
PAUSED_EMAILED = "mailbox_paused_emailed"
PAUSED_FAILED = "mailbox_paused_email_failed"


def stale_reminder_message(task: Task, owner: User, locale: str | None = None) -> tuple[bytes, str]:
    """(message bytes, Message-ID) telling the task's owner about the task (a quiet deal, a paused mailbox), in the
    owner's `locale`."""
    msg = EmailMessage(policy=SMTP)
    msg["From"] = msg["To"] = owner.email
    msg["Subject"] = task.title
    msg["Date"] = format_datetime(task.created_at)
    msg["Message-ID"] = mid = make_msgid(f"stale-{task.id}", "sequencer.local")
    msg["Auto-Submitted"] = "auto-generated"
    greeting = localized(tr("Hi %(name)s,", name=owner.name or owner.email), locale)
    msg.set_content(f"{greeting}\n\n{task.instructions}\n\n"
                    + localized(tr("It is in your task queue in Sequencer."), locale) + "\n")
    return msg.as_bytes(), mid


def _already_emailed(session: Session, task_id: int, kind: str = EMAILED) -> bool:
    return session.scalar(select(Event.id).where(Event.kind == kind, Event.task_id == task_id)) is not None


def email_stale_owner(session: Session, task_id: int, settings: SendSettings,
                      kinds: tuple[str, str] = (EMAILED, FAILED)) -> bool:
    """Email the owner of one task (a stale-deal reminder by default), once per task; True when it went out (commits)."""
    emailed, failed = kinds
    task = session.get(Task, task_id)
    if task is None or task.owner is None or _already_emailed(session, task_id, emailed):
        return False
    owner = task.owner
    data, message_id = stale_reminder_message(task, owner, locale_for(session, owner))
    mailbox = session.scalars(select(Mailbox).where(Mailbox.owner_id == owner.id).order_by(Mailbox.id)).first()
    sender = mailbox.email if mailbox is not None else owner.email
    with closing(open_transport(mailbox, settings.secret_key, settings.outbox_dir)) as transport:
        try:
            reply = transport.send(sender, owner.email, data, message_id)
        except SendError as exc:
            session.add(Event(kind=failed, occurred_at=settings.clock(), task_id=task_id, user_id=owner.id,
                              payload={"error": str(exc)}))
            session.commit()
            return False
    session.add(Event(kind=emailed, occurred_at=settings.clock(), task_id=task_id, user_id=owner.id,
                      payload={"reply": reply, "message_id": message_id}))
    session.commit()
    return True


def email_stale_owners(session: Session, task_ids: list[int], settings: SendSettings) -> int:
    """The owner emails for new reminders, when the workspace asks for them; how many went out."""
    if not task_ids or not get_workspace(session).stale_email_owner:
        return 0
    return sum(email_stale_owner(session, task_id, settings) for task_id in task_ids)


def email_paused_mailbox_admins(session: Session, settings: SendSettings) -> int:
    """Email each admin whose "mailbox paused itself" task has not been emailed yet; how many went out."""
    tasks = session.scalars(select(Task.id).where(Task.dedupe_key.like(f"{PAUSED_TASK}%"),
                                                  Task.status == TaskStatus.OPEN).order_by(Task.id)).all()
    kinds = (PAUSED_EMAILED, PAUSED_FAILED)
    return sum(email_stale_owner(session, task_id, settings, kinds) for task_id in tasks
               if not _already_emailed(session, task_id, PAUSED_EMAILED))
