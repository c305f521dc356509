"""Double opt-in: a signed, single-use confirmation link bound to the address it was sent to. Until it is
clicked nothing but the confirmation email goes out; the click is written to the consent log with time and IP."""
from __future__ import annotations

from contextlib import closing
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime, make_msgid

from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from sequencer.accounts.workspace import default_locale
from sequencer.errors import Conflict, NotFound
from sequencer.mail.delivery import SendSettings
from sequencer.mail.transports import SendError, open_transport
from sequencer.models import Form, FormConsent, FormSubmission, Mailbox, User
from sequencer.platform import i18n
from sequencer.platform.db import rowcount
from sequencer.texts import tr

SALT = "form-double-opt-in"
VALID_FOR = timedelta(days=7)


def token(secret: str, submission: FormSubmission) -> str:
    return URLSafeSerializer(secret, salt=SALT).dumps({"s": submission.id, "e": submission.email})


def confirm_url(base_url: str, secret: str, submission: FormSubmission) -> str:
    return f"{base_url}/f/confirm/{token(secret, submission)}"


def _message(form: Form, submission: FormSubmission, sender: str, url: str, now: datetime,
             locale: str = "en") -> tuple[bytes, str]:
    """In the workspace's language (a visitor is nobody's prospect yet); the link opens the page in it too."""
    if locale != i18n.DEFAULT_LOCALE:
        url = f"{url}?lang={locale}"
    msg = EmailMessage(policy=SMTP)
    msg["From"], msg["To"] = sender, submission.email
    msg["Subject"] = i18n.localized(tr("Please confirm your email for %(form)s", form=form.name), locale)[:200]
    msg["Date"] = format_datetime(now)
    msg["Message-ID"] = mid = make_msgid(f"form-confirm-{submission.id}", "sequencer.local")
    msg["Auto-Submitted"] = "auto-generated"
    msg.set_content(i18n.localized(tr("Hello,\n\nSomeone (we hope you) entered this address in “%(form)s”. "
                                      "To confirm, open this link:\n\n%(url)s\n\nIf it was not you, ignore this "
                                      "email: nothing more will be sent.\n", form=form.name, url=url), locale))
    return msg.as_bytes(), mid


def send_confirmation(session: Session, form: Form, submission: FormSubmission, settings: SendSettings) -> bool:
    """Send the one confirmation email (claimed first, so a second run sends nothing); commits."""
    now = settings.clock()
    claimed = rowcount(session.execute(update(FormSubmission).where(
        FormSubmission.id == submission.id, FormSubmission.confirmation_sent_at.is_(None))
        .values(confirmation_sent_at=now, status="pending_confirmation").execution_options(synchronize_session=False)))
    session.commit()
    if not claimed:
        return False
    manager = session.get(User, form.manager_id) if form.manager_id else None
    mailbox = session.scalars(select(Mailbox).where(Mailbox.owner_id == form.manager_id).order_by(Mailbox.id)
                              ).first() if manager else None
    sender = mailbox.email if mailbox else (manager.email if manager else "forms@sequencer.local")
    data, mid = _message(form, submission, sender, confirm_url(settings.base_url, settings.secret_key, submission), now,
                         default_locale(session))
    with closing(open_transport(mailbox, settings.secret_key, settings.outbox_dir)) as transport:
        try:
            transport.send(sender, submission.email, data, mid)
        except SendError:  # let the next attempt try again
            session.execute(update(FormSubmission).where(FormSubmission.id == submission.id)
                            .values(confirmation_sent_at=None, status="received"))
            session.commit()
            raise
    return True


def confirm(session: Session, secret: str, value: str, ip: str | None, now: datetime) -> FormSubmission:
    """The click: a forged token, one for another address, or one used before is refused (the caller commits)."""
    try:
        payload = URLSafeSerializer(secret, salt=SALT).loads(value)
    except BadSignature:
        raise NotFound(tr("this confirmation link is not valid")) from None
    submission = session.get(FormSubmission, payload.get("s")) if isinstance(payload, dict) \
        and isinstance(payload.get("s"), int) else None
    if submission is None or submission.email != payload.get("e"):
        raise NotFound(tr("this confirmation link is not valid"))
    if submission.created_at + VALID_FOR < now:
        raise Conflict(tr("this confirmation link has expired; please fill in the form again"))
    done = rowcount(session.execute(update(FormSubmission).where(
        FormSubmission.id == submission.id, FormSubmission.confirmed_at.is_(None),
        FormSubmission.status == "pending_confirmation")
        .values(confirmed_at=now, status="received").execution_options(synchronize_session=False)))
    if not done:
        raise Conflict(tr("this address is already confirmed (each link works once)"))
    form = session.get_one(Form, submission.form_id)
    session.add(FormConsent(submission_id=submission.id, email=submission.email, action="confirmed",
                            text=submission.consent_text or form.consent_text, version=submission.consent_version,
                            ip=(ip or "")[:64] or None, at=now))
    session.refresh(submission)
    return submission
