"""One-off emails: a rep writes to one prospect from a mailbox they may send from, outside any sequence.

Every door (the prospect page, the API) calls `create`, and the send job `one_off_send.send`. The rules are
the ones every send keeps: the prospect contactable (status and suppression list, `not_contactable`), the
mailbox one the rep may send from, the rep's text rendered in the sandbox with the library's `[…]` prompts
refused, the signature added once, the unsubscribe footer and headers, links tracked per the workspace rule.
"""
from __future__ import annotations

import logging
from datetime import datetime, timedelta

import redis
from jinja2 import TemplateError
from sqlalchemy import select
from sqlalchemy.orm import Session, object_session

from sequencer.accounts.permissions import may_edit_prospect, require_send_from, sending_mailbox_owner
from sequencer.deliverability.domains import gate_reason
from sequencer.errors import Conflict, Forbidden, Invalid
from sequencer.mail import links
from sequencer.mail.compose import (
    Composed,
    one_off_message_id,
    track_clicks,
    unsubscribe_footer,
    unsubscribe_headers,
)
from sequencer.mail.footer import prospect_locale
from sequencer.models import Mailbox, OneOffEmail, OneOffState, Prospect, User
from sequencer.models.mail import MailboxStatus
from sequencer.outreach.suppression_lists import not_contactable, suppressed_among
from sequencer.platform import queues
from sequencer.platform.i18n import supported
from sequencer.rendering import build_context, render_email
from sequencer.rendering.placeholders import refuse_placeholders
from sequencer.sequences.preview import sender_view
from sequencer.texts import tr

log = logging.getLogger(__name__)
STRANDED = timedelta(minutes=2)
MAX_SUBJECT = 500
MAX_BODY = 50_000
JOB = "workers.jobs.send_one_off"
WHY_NOT = {"unsubscribed": tr("they unsubscribed"), "bounced": tr("their address bounced"),
           "complained": tr("they reported our email as spam"),
           "do_not_contact": tr("they are marked do not contact"),
           "suppressed": tr("their address or domain is on the suppression list")}


def usable_mailboxes(session: Session, actor: User) -> list[Mailbox]:
    """The mailboxes `actor` may send a one-off from (their own; every one for managers), active first."""
    owner = sending_mailbox_owner(actor)
    stmt = select(Mailbox).order_by(Mailbox.status, Mailbox.email)
    if owner is not None:
        stmt = stmt.where(Mailbox.owner_id == owner)
    return list(session.scalars(stmt))


def why_not_contactable(session: Session, prospect: Prospect) -> str | None:
    """The send path's rule (`not_contactable`) for one prospect, in words; None when they may be emailed."""
    why = not_contactable(prospect, suppressed_among(session, [prospect.email_normalized]))
    return WHY_NOT.get(why, why) if why else None


def mailbox_problem(session: Session, mailbox: Mailbox) -> str | None:
    """Why this mailbox cannot send right now (paused, or its domain not yet checked), else None."""
    if mailbox.status == MailboxStatus.PAUSED:
        return tr("the mailbox %(email)s is paused: %(reason)s", email=mailbox.email,
                  reason=mailbox.paused_reason or tr("by an admin"))
    return gate_reason(session, mailbox)


def _fields(subject: str, body: str) -> None:
    problems = []
    if not subject.strip():
        problems.append({"field": "subject", "message": tr("give it a subject")})
    elif len(subject) > MAX_SUBJECT:
        problems.append({"field": "subject", "message": tr("at most %(num)d characters", num=MAX_SUBJECT)})
    if not body.strip():
        problems.append({"field": "body", "message": tr("write the email")})
    elif len(body) > MAX_BODY:
        problems.append({"field": "body", "message": tr("at most %(num)d characters", num=MAX_BODY)})
    if problems:
        raise Invalid.of(problems)
    refuse_placeholders(subject, body)


def _mailbox(session: Session, actor: User, mailbox_id: int | None) -> Mailbox:
    mailbox = session.get(Mailbox, mailbox_id) if isinstance(mailbox_id, int) else None
    if mailbox is None:
        raise Invalid.field("mailbox_id", tr("choose a mailbox to send from"))
    require_send_from(actor, mailbox)
    problem = mailbox_problem(session, mailbox)
    if problem:
        raise Invalid.field("mailbox_id", problem)
    return mailbox


def _checked(session: Session, prospect: Prospect, actor: User, mailbox_id: int | None, subject: str,
             body: str) -> tuple[Mailbox, str, str]:
    """Every rule but rendering: (the mailbox, the trimmed subject and body), or the refusal."""
    if not may_edit_prospect(actor, prospect):
        raise Forbidden(tr("reps email their own prospects"))
    subject, body = (subject or "").strip(), (body or "").strip()
    _fields(subject, body)
    mailbox = _mailbox(session, actor, mailbox_id)
    why = why_not_contactable(session, prospect)
    if why:
        raise Conflict(tr("%(email)s can't be emailed: %(why)s", email=prospect.email, why=why))
    return mailbox, subject, body


def _trial(row: OneOffEmail, base_url: str, secret: str) -> Composed:
    try:
        trial = compose_one_off(row, base_url=base_url, secret=secret, postal_address="", link_domains=[])
    except TemplateError as exc:  # a template error in the rep's text: say where, keep the text
        raise Invalid.field("body", tr("cannot be rendered: %(error)s", error=str(exc))) from None
    if trial.missing:
        raise Invalid.field("body", tr("missing values: %(names)s", names=", ".join(trial.missing)))
    return trial


def create(session: Session, prospect: Prospect, actor: User, mailbox_id: int | None, subject: str, body: str, *,
           base_url: str, secret: str, now: datetime) -> OneOffEmail:
    """Check everything, trial-render, and add the queued row (flushed; the caller commits, then `enqueue`s)."""
    mailbox, subject, body = _checked(session, prospect, actor, mailbox_id, subject, body)
    row = OneOffEmail(prospect_id=prospect.id, user_id=actor.id, mailbox_id=mailbox.id, subject=subject, body=body,
                      state=OneOffState.QUEUED, created_at=now)
    session.add(row)
    session.flush()
    _trial(row, base_url, secret)
    return row


def preview(session: Session, prospect: Prospect, actor: User, mailbox_id: int | None, subject: str, body: str, *,
            base_url: str, secret: str) -> Composed:
    """What `create` would send (the workspace footer aside), refused the same way; nothing is saved."""
    mailbox, subject, body = _checked(session, prospect, actor, mailbox_id, subject, body)
    row = OneOffEmail(id=0, prospect=prospect, mailbox=mailbox, subject=subject, body=body)  # never added
    return _trial(row, base_url, secret)


def enqueue(connection: redis.Redis, one_off_id: int) -> bool:
    """The send job, after the row is committed (a second run does nothing). Redis down: False, and the
    dispatcher's sweep (`stranded`) enqueues it later."""
    try:
        queues.enqueue(queues.SEND, JOB, one_off_id, connection=connection, job_id=f"one-off-{one_off_id}",
                       job_timeout=120, result_ttl=3600)
    except (redis.RedisError, OSError):
        log.warning("one-off email %s: could not enqueue its send job; the dispatcher will", one_off_id)
        return False
    return True


def stranded(session: Session, now: datetime) -> list[int]:
    """Queued one-offs whose job never ran (Redis was down, or flushed): the dispatcher enqueues them again."""
    return list(session.scalars(select(OneOffEmail.id).where(
        OneOffEmail.state == OneOffState.QUEUED, OneOffEmail.send_started_at.is_(None),
        OneOffEmail.created_at < now - STRANDED).order_by(OneOffEmail.id).limit(200)))


def _locale_of(prospect: Prospect) -> str:
    session = object_session(prospect)
    return prospect_locale(session, prospect) if session is not None else supported(prospect.language) or "en"


def compose_one_off(row: OneOffEmail, *, base_url: str, secret: str, postal_address: str,
                    link_domains: list[str]) -> Composed:
    """The exact email for `row`: the rep's text as plain text rendered for the prospect, signature, footer,
    unsubscribe headers; only links to `link_domains` click-tracked (as in manual emails), no open pixel."""
    prospect, mailbox = row.prospect, row.mailbox
    if mailbox is None:
        raise Conflict(tr("the mailbox is gone"))
    unsubscribe = links.unsubscribe_url(base_url, secret, prospect.id)
    sender = sender_view(mailbox)
    context = build_context(prospect, prospect.company, sender, prospect.persona, unsubscribe)
    rendered = render_email(row.subject, row.body, context, signature=sender.signature,
                            footer_text=unsubscribe_footer(postal_address, unsubscribe, _locale_of(prospect)), text_body=True)
    body_html = track_clicks(rendered.body_html, lambda target: links.one_off_click_url(base_url, secret, row.id, target),
                             keep=unsubscribe, only=link_domains)
    return Composed(subject=rendered.subject, body_html=body_html, body_text=rendered.body_text,
                    missing=rendered.missing,
                    message_id=one_off_message_id(row.id, mailbox.email.rsplit("@", 1)[-1], secret),
                    from_name=sender.name, from_email=mailbox.email,
                    to_name=prospect.name if prospect.first_name else "", to_email=prospect.email.strip(),
                    headers=unsubscribe_headers(mailbox.email, unsubscribe))
