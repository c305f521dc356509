"""The world the inbound corpus talks about: emails we sent to a handful of prospects (see corpus/README)."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from sequencer.models import Sequence, SequenceStatus, Step, StepRunState, StepType, Variant
from sequencer.platform import clock

NOW = datetime(2026, 12, 14, 12, 0, tzinfo=UTC)  # a Monday, after every corpus message arrived
OURS = "rita@sequencer.test"

# (email, first, last, company name, domain, tz, country, [(message id, subject, sent at)])
PEOPLE = [
    ("dana.kowalski@acme-corp.test", "Dana", "Kowalski", "Acme Corp", "acme-corp.test", "America/New_York", "US", [
        ("<sr101.corpus@sequencer.test>", "Quick question about Acme's month-end close", "2026-12-07T09:12"),
        ("<sr102.corpus@sequencer.test>", "Re: Quick question about Acme's month-end close", "2026-12-10T09:40")]),
    ("sarunas.petraitis@baltic-logistics.test", "Šarūnas", "Petraitis", "Baltic Logistics", "baltic-logistics.test",
     "Europe/Vilnius", "LT", [("<sr201.corpus@sequencer.test>", "Sandėlio apskaita – Baltic Logistics",
                               "2026-12-08T08:05")]),
    ("j.mueller@nordwerk.test", "Jürgen", "Müller", "Nordwerk", "nordwerk.test", "Europe/Berlin", "DE", [
        ("<sr301.corpus@sequencer.test>", "Frage zum Monatsabschluss bei Nordwerk", "2026-12-08T08:30")]),
    ("eve.ng@acme-corp.test", "Eve", "Ng", "Acme Corp", "acme-corp.test", "America/New_York", "US", [
        ("<sr401.corpus@sequencer.test>", "Acme's vendor payments", "2026-12-09T10:00")]),
    ("tom.baker@widgetco.test", "Tom", "Baker", "Widgetco", "widgetco.test", "Europe/London", "GB", [
        ("<sr501.corpus@sequencer.test>", "Widgetco's AP backlog", "2026-12-09T10:05")]),
    ("laura.perez@example-retail.test", "Laura", "Pérez", "Example Retail", "example-retail.test", "Europe/Madrid",
     "ES", [("<sr601.corpus@sequencer.test>", "Closing the books faster at Example Retail", "2026-12-09T10:10")]),
]


@pytest.fixture
def now():
    with clock.frozen(NOW):
        yield NOW


@pytest.fixture
def corpus_world(factory, session, now):
    """Prospects with the emails of the corpus sent, each enrolment active with its next email scheduled."""
    rep = factory.user("rep", name="Rita Rep", email="rita.rep@example.com")
    mailbox = factory.mailbox(email=OURS, name="Rita Rep", owner_id=rep.id)
    sequence = Sequence(name="Q1 CFO outbound", status=SequenceStatus.ACTIVE, owner_id=rep.id, exit_on_reply=True)
    sequence.steps = [Step(position=i, type=StepType.AUTO_EMAIL, wait_days=0 if i == 1 else 2, thread=i == 2,
                           variants=[Variant(label="A", subject="Hello {{ prospect.first_name }}" if i != 2 else "",
                                             body="Hi {{ prospect.first_name }}")]) for i in (1, 2, 3)]
    session.add(sequence)
    session.flush()
    companies, prospects, enrollments, runs = {}, {}, {}, {}
    for email, first, last, company, domain, tz, country, sent in PEOPLE:
        if domain not in companies:
            companies[domain] = factory.company(name=company, domain=domain)
        prospect = factory.prospect(email=email, first_name=first, last_name=last, company=companies[domain],
                                    timezone=tz, country=country, owner_id=rep.id)
        enrollment = factory.enrollment(prospect=prospect, sequence=sequence, mailbox_id=mailbox.id,
                                        enrolled_by_id=rep.id, created_at=NOW - timedelta(days=10))
        for position, (message_id, subject, at) in enumerate(sent, start=1):
            sent_at = datetime.fromisoformat(at).replace(tzinfo=UTC)
            step = sequence.steps[position - 1]
            runs[message_id] = factory.step_run(enrollment, step, variant=step.variants[0], mailbox_id=mailbox.id,
                                                state=StepRunState.SENT, due_at=sent_at, sent_at=sent_at,
                                                done_at=sent_at, message_id=message_id, subject=subject)
        step = sequence.steps[len(sent)]
        factory.step_run(enrollment, step, variant=step.variants[0], mailbox_id=mailbox.id,
                         due_at=NOW + timedelta(days=2))
        prospects[email], enrollments[email] = prospect, enrollment
    session.commit()
    return {"rep": rep, "mailbox": mailbox, "sequence": sequence, "prospects": prospects,
            "enrollments": enrollments, "runs": runs}
