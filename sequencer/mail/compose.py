"""Turn a claimed step run into the exact email to send: rendered content, headers, threading, tracking."""
from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from sequencer.errors import Conflict
from sequencer.mail import links
from sequencer.mail.footer import prospect_locale, unsubscribe_line
from sequencer.models import Mailbox, StepRun, StepRunState, Workspace
from sequencer.rendering import build_context, render_email
from sequencer.sequences.preview import content_for, sender_view
from sequencer.texts import tr

_HREF = re.compile(r'href="(https?://[^"]+)"')


@dataclass
class Composed:
    subject: str
    body_html: str
    body_text: str
    missing: list[str]
    message_id: str
    from_name: str
    from_email: str
    to_name: str
    to_email: str
    headers: dict[str, str] = field(default_factory=dict)


def message_id_for(run_id: int, domain: str, secret: str) -> str:
    """Deterministic per step run, and not guessable from the id alone."""
    tag = hmac.new(secret.encode(), f"mid:{run_id}".encode(), hashlib.sha256).hexdigest()[:12]
    return f"<sr{run_id}.{tag}@{domain}>"


def one_off_message_id(one_off_id: int, domain: str, secret: str) -> str:
    """Like `message_id_for`, in its own namespace: a one-off email's id never equals a step run's."""
    tag = hmac.new(secret.encode(), f"mid:oo{one_off_id}".encode(), hashlib.sha256).hexdigest()[:12]
    return f"<oo{one_off_id}.{tag}@{domain}>"


def _thread(session: Session, run: StepRun) -> list[StepRun]:
    """Earlier emails of this enrolment that went out, oldest first."""
    return list(session.scalars(select(StepRun).where(
        StepRun.enrollment_id == run.enrollment_id, StepRun.position < run.position,
        StepRun.state == StepRunState.SENT, StepRun.message_id.is_not(None)).order_by(StepRun.position)))


def track_clicks(html: str, click: Callable[[str], str], keep: str, only: list[str] | None = None) -> str:
    """Wrap links in signed click redirects (`click(target)`); with `only`, just links to those domains (a rep's
    own text: manual and one-off emails)."""
    def swap(match: re.Match) -> str:
        target = match.group(1).replace("&amp;", "&")
        if target == keep or (only is not None and not links.trackable(target, only)):
            return match.group(0)
        return f'href="{click(target)}"'

    return _HREF.sub(swap, html)


def unsubscribe_footer(postal_address: str, unsubscribe: str, locale: str | None) -> str:
    """The text under every email we send: the workspace's postal address and the unsubscribe link, the link's
    line in the prospect's language (`footer.prospect_locale`)."""
    return "\n\n".join(p for p in (postal_address.strip(), unsubscribe_line(locale, unsubscribe)) if p)


def unsubscribe_headers(mailbox_email: str, unsubscribe: str) -> dict[str, str]:
    """RFC 2369 / RFC 8058 headers every email we send carries: mail to the mailbox, or one click."""
    return {"List-Unsubscribe": f"<mailto:{mailbox_email}?subject=unsubscribe>, <{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}


def compose(session: Session, run: StepRun, *, base_url: str, secret: str, postal_address: str,
            edited: tuple[str, str] | None = None, link_domains: list[str] | None = None,
            workspace: Workspace | None = None) -> Composed:
    """Render `run` for its prospect; `edited` (subject, body) replaces the template (manual emails).

    A rep's edit is plain text (escaped into the HTML part, whatever it contains) and only its links to
    `link_domains` (the workspace's tracked-link domains) are click-tracked. A batch passes its loaded
    `workspace` row so the footer's fallback language costs no query per email."""
    enrollment = run.enrollment
    prospect, mailbox, sequence = enrollment.prospect, enrollment.mailbox, enrollment.sequence
    if run.mailbox_id and mailbox is not None and run.mailbox_id != mailbox.id:  # a teammate covers (time off)
        mailbox = session.get(Mailbox, run.mailbox_id) or mailbox
    if mailbox is None:
        raise Conflict(tr("the enrolment has no mailbox to send from"))
    persona_key = prospect.persona.key if prospect.persona else None
    if edited is not None:
        subject_src, body_src = edited
    elif run.variant is not None:
        subject_src, body_src = content_for(run.variant, persona_key)
    else:
        raise Conflict(tr("the email's variant is gone"))
    earlier = _thread(session, run) if run.step.thread else []
    unsubscribe = links.unsubscribe_url(base_url, secret, prospect.id, run.id)
    sender = sender_view(mailbox)
    context = build_context(prospect, prospect.company, sender, prospect.persona, unsubscribe)
    footer = unsubscribe_footer(postal_address, unsubscribe, prospect_locale(session, prospect, workspace))
    rendered = render_email(subject_src, body_src, context, signature=sender.signature, footer_text=footer,
                            text_body=edited is not None)
    subject = rendered.subject
    if earlier and not subject:
        previous = earlier[-1].subject or ""
        subject = previous if previous.lower().startswith("re:") else f"Re: {previous}"
    body_html = rendered.body_html
    if sequence.track_clicks:
        body_html = track_clicks(body_html, lambda target: links.click_url(base_url, secret, run.id, target),
                                 keep=unsubscribe, only=(link_domains or []) if edited is not None else None)
    if sequence.track_opens:
        body_html += f'\n<img src="{links.open_url(base_url, secret, run.id)}" width="1" height="1" alt="">'
    domain = mailbox.email.rsplit("@", 1)[-1]
    headers = unsubscribe_headers(mailbox.email, unsubscribe)
    thread_ids = [r.message_id for r in earlier if r.message_id is not None]  # all of them: _thread asks for it
    if thread_ids:
        headers["In-Reply-To"] = thread_ids[-1]
        headers["References"] = " ".join(thread_ids)
    return Composed(subject=subject, body_html=body_html, body_text=rendered.body_text, missing=rendered.missing,
                    message_id=message_id_for(run.id, domain, secret), from_name=sender.name,
                    from_email=mailbox.email, to_name=prospect.name if prospect.first_name else "",
                    to_email=prospect.email.strip(), headers=headers)
