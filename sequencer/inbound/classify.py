"""Decide what an inbound message is and whom it concerns; no side effects (effects.py acts on the verdict).

Order matters and is deliberate: a delivery report is a bounce (a feedback report a complaint) whatever
its words say; an
auto-responder's "please remove me from ..." is still an auto-reply; only a human's own words can
ask to unsubscribe; any other human answer is a reply. A message tied to no prospect is `unmatched`
(a bounce stays a bounce, with no prospect, so the report remains readable as one).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from sequencer.inbound.bounces.report import Report, read_report
from sequencer.inbound.dates import return_date
from sequencer.inbound.match import Match, match
from sequencer.inbound.parse import Parsed
from sequencer.inbound.rules import auto_reply_rule, left_company, sentiment, unsubscribe_rule
from sequencer.models import Mailbox


@dataclass
class Verdict:
    classification: str
    match: Match
    rule: str | None = None
    sentiment: str | None = None
    bounce: Report | None = None
    return_date: date | None = None
    left_company: bool = False
    detail: dict = field(default_factory=dict)


def _match_bounce(session: Session, bounce: Report) -> Match:
    return match(session, thread_ids=bounce.original_message_ids, senders=bounce.recipients, subject="")


def our_addresses(session: Session) -> set[str]:
    """Our own mailboxes: never a failed recipient or a complainer."""
    return {e.lower() for e in session.scalars(select(Mailbox.email))}


def classify(session: Session, parsed: Parsed, received: date) -> Verdict:
    if not parsed.parsed:
        return Verdict("unmatched", Match(), rule="unparsed")
    report = read_report(parsed, our_addresses(session))
    if report is not None and report.kind == "success":
        return Verdict("unmatched", Match(), rule="delivery success report (nothing failed)")
    if report is not None:
        why = "complaint (feedback report)" if report.kind == "complaint" else "delivery report"
        return Verdict(report.kind, _match_bounce(session, report), rule=why, bounce=report)
    thread_ids = list(reversed(parsed.references))
    thread_ids = parsed.in_reply_to + [i for i in thread_ids if i not in parsed.in_reply_to]
    found = match(session, thread_ids=thread_ids, senders=[parsed.from_address or ""], subject=parsed.subject)
    if found.prospect is None:
        return Verdict("unmatched", found, rule="no prospect")
    auto = auto_reply_rule(parsed)
    if auto:
        text = f"{parsed.subject}\n{parsed.reply_text or parsed.text}"
        return Verdict("auto_reply", found, rule=auto, return_date=return_date(text, received),
                       left_company=left_company(text))
    unsubscribe = unsubscribe_rule(parsed)
    if unsubscribe:
        return Verdict("unsubscribe", found, rule=unsubscribe)
    tone, rule = sentiment(parsed)
    return Verdict("reply", found, rule=rule, sentiment=tone)
