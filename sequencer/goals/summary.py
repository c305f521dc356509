"""The Monday summary to managers: each running goal's pace last week, who is behind and why.

Sent through the sending pipeline's transports (the manager's first mailbox, else the outbox) to our own
users only, never to a prospect. A (goal, manager, week) row is written before the send and committed
with it, so a second run of the job the same Monday finds it and sends nothing.
"""
from __future__ import annotations

from contextlib import closing
from datetime import UTC, datetime, time, timedelta
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime, make_msgid

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from sequencer.accounts.permissions import MANAGERS
from sequencer.goals import pace as paces, plan as plans
from sequencer.goals.service import current_goals
from sequencer.mail.delivery import SendSettings
from sequencer.mail.transports import SendError, open_transport
from sequencer.models import Goal, GoalSummarySent, Mailbox, Prospect, User, Workspace
from sequencer.platform.i18n import DEFAULT_LOCALE, format_number, format_when, gettext_in, localized, recipient_locale
from sequencer.texts import tr

KEY_WORDS = {"first_contacts": tr("first contacts"), "touches": tr("touches"), "meetings": tr("meetings"),
             "deals": tr("deals")}


def _day(value, locale: str) -> str:
    """ISO in English (as the summary always read), the written-out date in other languages."""
    return format_when(value, "%Y-%m-%d" if locale == DEFAULT_LOCALE else "%d %b %Y", locale)


def _num(value: float, locale: str) -> str:
    return f"{value:g}" if locale == DEFAULT_LOCALE else format_number(value, locale)


def summary_text(goal: Goal, pace: paces.Pace, locale: str = DEFAULT_LOCALE) -> str:
    """The goal's part of the email, in the manager's language: team pace, projection, each rep behind and why."""
    lines = [gettext_in(locale, "%(goal)s (%(start)s to %(end)s)", goal=goal.name,
                        start=_day(goal.period_start, locale), end=_day(goal.period_end, locale))]
    for key in ("first_contacts", "touches", "meetings", "deals"):
        lines.append("  " + gettext_in(locale, "%(what)s: %(done)s done, %(planned)s planned to date, projected "
                                               "%(projected)s", what=KEY_WORDS[key], done=pace.actual[key],
                                       planned=_num(pace.planned[key], locale),
                                       projected=_num(pace.projection[key], locale)))
    behind = [r for r in pace.reps if r.behind]
    for rep in behind:
        lines.append(f"  {rep.name}: {rep.message_in(locale)} ({localized(rep.reason, locale)})")
    if not behind:
        lines.append("  " + gettext_in(locale, "Nobody is behind pace."))
    return "\n".join(lines)


def _internal(session: Session, managers: list[User]) -> list[User]:
    """Users whose address is not also a prospect's: the summary never leaves the team."""
    emails = {m.email.lower() for m in managers}
    outside = set(session.scalars(select(Prospect.email).where(Prospect.email.in_(emails))))
    return [m for m in managers if m.email.lower() not in {e.lower() for e in outside if e}]


def _send(session: Session, manager: User, body: str, week: str, settings: SendSettings, locale: str) -> bool:
    msg = EmailMessage(policy=SMTP)
    msg["From"] = msg["To"] = manager.email
    msg["Subject"] = gettext_in(locale, "Goals: pace for the week of %(week)s", week=week)
    msg["Date"] = format_datetime(settings.clock())
    msg["Message-ID"] = mid = make_msgid(f"goals-{manager.id}", "sequencer.local")
    msg["Auto-Submitted"] = "auto-generated"
    msg.set_content(gettext_in(locale, "Hi %(name)s,", name=manager.name or manager.email) + f"\n\n{body}\n\n"
                    + gettext_in(locale, "The plans and pace are in Sequencer under Goals.") + "\n")
    mailbox = session.scalars(select(Mailbox).where(Mailbox.owner_id == manager.id).order_by(Mailbox.id)).first()
    sender = mailbox.email if mailbox is not None else manager.email
    with closing(open_transport(mailbox, settings.secret_key, settings.outbox_dir)) as transport:
        try:
            transport.send(sender, manager.email, msg.as_bytes(), mid)
        except SendError:
            return False
    return True


def send_monday_summaries(session: Session, now: datetime, settings: SendSettings) -> int:
    """On Mondays, one email per manager covering every running goal (as of Sunday night); emails sent."""
    if now.weekday() != 0:
        return 0
    week_end = datetime.combine(now.date() - timedelta(days=1), time(23, 59), tzinfo=UTC)
    goals = current_goals(session, week_end.date())
    if not goals:
        return 0
    computed = [(g, paces.compute(session, plans.build(session, g, week_end))) for g in goals]
    default_locale = session.scalar(select(Workspace.default_locale).limit(1))
    week_start = now.date() - timedelta(days=7)
    managers = list(session.scalars(select(User).where(User.role.in_(MANAGERS), User.active.is_(True)).order_by(User.id)))
    sent = 0
    for manager in _internal(session, managers):
        try:
            with session.begin_nested():
                for goal in goals:
                    session.add(GoalSummarySent(goal_id=goal.id, user_id=manager.id, week_start=week_start, sent_at=now))
                session.flush()
        except IntegrityError:
            continue  # already sent this week
        locale = recipient_locale(manager.locale, default_locale)
        body = "\n\n".join(summary_text(g, pace, locale) for g, pace in computed)
        if _send(session, manager, body, _day(week_start, locale), settings, locale):
            session.commit()
            sent += 1
        else:
            session.rollback()
    return sent
