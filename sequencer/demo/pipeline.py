"""Deals and mail that came back: ~24 opportunities with stage history, and raw inbound messages.

Opportunities start from booked meetings and positive replies, topped up with older deals and a
few closed in past quarters (for the reports); three open ones have been quiet for 10+ days, so the
real stale-deal job (run by `seed_demo`) creates their reminders. Inbound messages are small RFC
5322 documents tied to the enrolment they changed.
"""
from __future__ import annotations

import random
from datetime import date, datetime, timedelta
from decimal import Decimal
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime

from sequencer.demo.activity import Outcome, PendingEvent
from sequencer.demo.timeline import Timeline
from sequencer.models import InboundMessage, Opportunity, Prospect, Stage, StageChange
from sequencer.models.inbound import InboundStatus

ORDER = [Stage.PROSPECTING, Stage.QUALIFICATION, Stage.NEEDS_ANALYSIS, Stage.PROPOSAL, Stage.NEGOTIATION]
STAGES = [Stage.QUALIFICATION, Stage.NEEDS_ANALYSIS, Stage.QUALIFICATION, Stage.PROSPECTING, Stage.NEEDS_ANALYSIS,
          Stage.PROPOSAL, Stage.QUALIFICATION, Stage.NEGOTIATION, Stage.PROPOSAL, Stage.NEEDS_ANALYSIS,
          Stage.PROPOSAL, Stage.NEGOTIATION, Stage.CLOSED_WON, Stage.CLOSED_LOST, Stage.PROSPECTING]
QUIET_DAYS = {Stage.PROSPECTING: 6, Stage.QUALIFICATION: 6, Stage.NEEDS_ANALYSIS: 6, Stage.PROPOSAL: 4,
              Stage.NEGOTIATION: 2}  # fresh deals had activity within their stage's stale rule (7/7/5/3)
HISTORY = [(Stage.CLOSED_WON, Stage.NEGOTIATION, None), (Stage.CLOSED_LOST, Stage.PROPOSAL, "Chose a competitor"),
           (Stage.CLOSED_WON, Stage.NEGOTIATION, None), (Stage.CLOSED_LOST, Stage.QUALIFICATION, "No budget this year"),
           (Stage.CLOSED_LOST, Stage.NEGOTIATION, "Price too high"), (Stage.CLOSED_WON, Stage.NEGOTIATION, None),
           (Stage.CLOSED_LOST, Stage.NEEDS_ANALYSIS, "No decision / went quiet"),
           (Stage.CLOSED_LOST, Stage.PROPOSAL, "Chose a competitor"), (Stage.CLOSED_WON, Stage.NEGOTIATION, None)]
BANT = {
    "budget": ["€40k earmarked in the FY finance-tools budget", "No budget line yet; CFO open to reallocating",
               "Covered by the ERP upgrade project"],
    "authority": ["CFO decides, CEO signs", "Finance director with IT sign-off", "Board approval above €50k"],
    "need": ["Month-end close takes 12 days; 3 FTE on invoice matching", "Receipts lost on field-sales trips",
             "Audit finding on unapproved card spend"],
    "timeline": ["Live before year-end close", "Decision this quarter, go-live in Q1", "After the ERP migration"],
}


def _next_quarter(today: date, rng: random.Random) -> date:
    q_month = (today.month - 1) // 3 * 3 + 4
    year = today.year + (q_month > 12)
    start = date(year, (q_month - 1) % 12 + 1, 1)
    return start + timedelta(days=rng.randrange(88))


def _bant(stage: Stage, rng: random.Random) -> dict:
    """Qualified letters so far: a note and a yes (or, now and then, an honest no) per letter."""
    known = len(BANT) if stage not in ORDER else min(4, ORDER.index(stage) + 1)
    notes = {k: rng.choice(v) for k, v in list(BANT.items())[:known]}
    return {k: {"value": note, "ok": not note.startswith(("No ", "After ")) and rng.random() > 0.1}
            for k, note in notes.items()}


def _deal(p: Prospect, stage: Stage, path: list[Stage], start: datetime, last: datetime, close: date,
          rng: random.Random, lost_reason: str | None = None) -> tuple[Opportunity, list[dict]]:
    """A deal whose history runs evenly from `start` to `last`, plus the events that history leaves behind."""
    gap = (last - start) / max(1, len(path) - 1)
    opp = Opportunity(name=f"{p.company.name} — Kvitas {rng.choice(['Finance', 'Spend', 'AP'])} rollout",
                      company=p.company, prospect=p, owner=p.owner, stage=stage,
                      amount=Decimal(rng.randrange(16, 241) * 500), currency="EUR", close_date=close,
                      bant=_bant(stage, rng), lost_reason=lost_reason, closed_at=last if stage.is_closed else None,
                      created_at=start, updated_at=last)
    events, previous = [], None
    for n, s in enumerate(path):
        at = start + gap * n
        opp.history.append(StageChange(from_stage=previous, to_stage=s.value, changed_by_id=p.owner.id, changed_at=at))
        payload = {"stage": s.value} if previous is None else {"from": previous, "to": s.value}
        if s == Stage.CLOSED_LOST:
            payload["lost_reason"] = lost_reason
        events.append({"kind": "opportunity_created" if previous is None else "stage_changed", "occurred_at": at,
                       "prospect_id": p.id, "user_id": p.owner.id, "payload": payload})
        previous = s.value
    return opp, events


def build_opportunities(outcomes: list[Outcome], prospects: list[Prospect], tl: Timeline, rng: random.Random,
                        quiet: set[int]) -> list[tuple[Opportunity, list[dict]]]:
    """~15 current deals (a few gone quiet, for the stale-deal job to find) and ~9 closed in past quarters.

    `quiet` holds prospects whose whole company has no sequence activity: only those can be believably
    stale, since emails and tasks at the account count as deal activity.
    """
    starts: list[tuple[Prospect, datetime | None]] = []
    companies: set[int] = set()  # one deal per account
    for o in outcomes:
        p = o.enr.prospect
        if (o.kind == "meeting_booked" or (o.kind == "replied" and o.extra.get("sentiment") == "positive")) \
                and p.company_id not in companies and len(starts) < 9:
            starts.append((p, o.at))
            companies.add(p.company_id)
    others = [p for p in prospects if p.persona and p.persona.key == "cfo" and p.status.value == "active"]
    rng.shuffle(others)
    others.sort(key=lambda p: p.id not in quiet)  # quiet accounts first: they make the stale deals
    for p in others:
        if len(starts) < 15 and p.company_id not in companies:
            starts.append((p, None))
            companies.add(p.company_id)
    out = []
    stale_left = 3
    for i, (p, start) in enumerate(starts):
        stage = STAGES[i]
        path = ORDER[: ORDER.index(stage) + 1] if stage in ORDER else [*ORDER, stage]
        stale = start is None and not stage.is_closed and stale_left > 0 and p.id in quiet
        stale_left -= stale
        if stage.is_closed:
            start = start + timedelta(hours=1) if start else tl.now - timedelta(days=rng.randrange(30, 60))
            last = start + (tl.now - start) * rng.uniform(0.5, 0.9)
        elif stale:
            start = tl.now - timedelta(days=rng.randrange(30, 60), hours=rng.randrange(24))
            last = tl.now - timedelta(days=rng.randrange(11, 20), hours=rng.randrange(8))
        else:
            start = start + timedelta(hours=1) if start else tl.now - timedelta(days=rng.randrange(20, 60))
            last = max(start, tl.now - timedelta(days=rng.uniform(0.2, QUIET_DAYS[stage])))
        close = last.date() if stage.is_closed else _next_quarter(tl.today("Europe/Vilnius"), rng)
        reason = "Chose the expense module of their existing ERP" if stage == Stage.CLOSED_LOST else None
        out.append(_deal(p, stage, path, start, last, close, rng, reason))
    rest = [p for p in prospects if p.status.value == "active" and p.owner]
    rng.shuffle(rest)
    accounts = []
    for p in rest:
        if p.company_id not in companies and len(accounts) < len(HISTORY):
            accounts.append(p)
            companies.add(p.company_id)
    for (stage, reached, reason), p in zip(HISTORY, accounts, strict=False):  # fewer accounts: less history
        closed = tl.now - timedelta(days=rng.randrange(35, 250))
        start = closed - timedelta(days=rng.randrange(25, 95))
        path = [*ORDER[: ORDER.index(reached) + 1], stage]
        out.append(_deal(p, stage, path, start, closed, closed.date(), rng, reason))
    return out


def message_bytes(sender: str, to: str, subject: str, body: str, when: datetime, in_reply_to: str | None,
             rng: random.Random, extra: dict | None = None) -> tuple[bytes, str]:
    msg = EmailMessage(policy=SMTP)
    msg["From"], msg["To"], msg["Subject"] = sender, to, subject
    msg["Date"] = format_datetime(when)
    msg_id = f"<{rng.getrandbits(48):012x}@mail.{sender.split('@')[-1].rstrip('>')}>"
    msg["Message-ID"] = msg_id
    if in_reply_to:
        msg["In-Reply-To"], msg["References"] = in_reply_to, in_reply_to
    for key, value in (extra or {}).items():
        msg[key] = value
    msg.set_content(body)
    return msg.as_bytes(), msg_id


def dsn_bytes(p: Prospect, mailbox_email: str, original_id: str, when: datetime) -> tuple[bytes, str]:
    mx = f"mx1.{p.company.domain}"
    msg_id = f"<{int(when.timestamp())}.dsn@{mx}>"
    boundary = "dsn-boundary-7f3a"
    text = (
        f"From: Mail Delivery System <MAILER-DAEMON@{mx}>\r\nTo: {mailbox_email}\r\n"
        f"Subject: Undelivered Mail Returned to Sender\r\nDate: {format_datetime(when)}\r\nMessage-ID: {msg_id}\r\n"
        f"Auto-Submitted: auto-replied\r\nMIME-Version: 1.0\r\n"
        f"Content-Type: multipart/report; report-type=delivery-status; boundary=\"{boundary}\"\r\n\r\n"
        f"--{boundary}\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\n"
        f"I'm sorry to have to inform you that your message could not be delivered.\r\n\r\n"
        f"<{p.email_normalized}>: host {mx} said: 550 5.1.1 User unknown\r\n\r\n"
        f"--{boundary}\r\nContent-Type: message/delivery-status\r\n\r\n"
        f"Reporting-MTA: dns; {mx}\r\n\r\nFinal-Recipient: rfc822; {p.email_normalized}\r\nAction: failed\r\n"
        f"Status: 5.1.1\r\nDiagnostic-Code: smtp; 550 5.1.1 User unknown\r\n\r\n"
        f"--{boundary}\r\nContent-Type: text/rfc822-headers\r\n\r\n"
        f"From: {mailbox_email}\r\nTo: {p.email}\r\nMessage-ID: {original_id}\r\n\r\n--{boundary}--\r\n"
    )
    return text.encode("ascii"), msg_id


EFFECTS = {"replied": "enrolment exited (replied)", "auto_replied": "paused until the return date",
           "bounced": "hard bounce: prospect bounced, address suppressed, enrolments exited",
           "unsubscribed": "unsubscribed, suppressed, enrolments exited"}

REPLY_TEXT = {
    "lt": "Laba diena,\n\nAčiū už laišką — laikas tinkamas, nes kitą ketvirtį keičiame išlaidų apskaitos procesą. "
          "Ar tiktų ketvirtadienį 14:00?\n\n{name}",
    "de": "Hallo,\n\ndanke für Ihre Nachricht. Das Thema ist für uns aktuell, wir stellen im nächsten Quartal "
          "die Rechnungsfreigabe um. Passt Ihnen Donnerstag um 14 Uhr?\n\nViele Grüße\n{name}",
    "en": "Hi,\n\nThanks for reaching out, the timing is good: we are replacing our expense tool next quarter. "
          "Could you do Thursday at 2pm?\n\n{name}",
}


def build_inbound(outcomes: list[Outcome], rng: random.Random) -> list[tuple[InboundMessage, PendingEvent]]:
    """Two replies, out-of-offices, hard bounce DSNs and unsubscribe requests from the past, as raw mail."""
    wanted: dict[str, list[Outcome]] = {"replied": [], "auto_replied": [], "bounced": [], "unsubscribed": []}
    for o in outcomes:
        if o.kind in wanted and len(wanted[o.kind]) < 2 and o.run is not None and o.run.message_id \
                and (o.kind != "replied" or o.extra.get("sentiment") == "positive"):
            wanted[o.kind].append(o)
    out = []
    for kind, o in ((kind, o) for kind, found in wanted.items() for o in found):
        p, mailbox = o.enr.prospect, o.enr.mailbox
        who, sender = f"{p.name} <{p.email}>", f"{mailbox.name} <{mailbox.email}>"
        subject = f"Re: {o.run.subject}"
        if kind == "replied":
            raw, mid = message_bytes(who, sender, subject, REPLY_TEXT.get(p.language, REPLY_TEXT["en"]).format(
                name=p.first_name), o.at, o.run.message_id, rng)
            classification = "reply"
        elif kind == "auto_replied":
            back = o.extra["return_date"]
            raw, mid = message_bytes(who, sender, f"Automatic reply: {o.run.subject}",
                                f"Thank you for your email. I am out of the office until {back:%d %B %Y} with "
                                f"limited access to email, and will reply when I am back.\n\n{p.name}",
                                o.at, o.run.message_id, rng, {"Auto-Submitted": "auto-replied"})
            classification = "auto_reply"
        elif kind == "bounced":
            raw, mid = dsn_bytes(p, mailbox.email, o.run.message_id, o.at)
            subject, classification = "Undelivered Mail Returned to Sender", "bounce"
            who = f"MAILER-DAEMON@mx1.{p.company.domain}"
        else:
            raw, mid = message_bytes(who, sender, subject, "Please remove me from your mailing list.\n\n" + p.name,
                                o.at, o.run.message_id, rng)
            classification = "unsubscribe"
        msg = InboundMessage(message_id=mid, mailbox_id=mailbox.id, source="imap", folder="INBOX", raw=raw,
                             size=len(raw), status=InboundStatus.PROCESSED, classification=classification,
                             sentiment="positive" if kind == "replied" else None,
                             from_address=who.split("<")[-1].rstrip(">").lower(), subject=subject,
                             prospect_id=p.id, enrollment_id=o.enr.id, step_run_id=o.run.id, received_at=o.at,
                             processed_at=o.at + timedelta(seconds=2),
                             detail={"match": "in_reply_to", "effect": EFFECTS[kind]})
        if kind == "unsubscribed":
            o.event.payload = {"source": "reply"}
        o.event.inbound = msg
        out.append((msg, o.event))
    return out
