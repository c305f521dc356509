"""Claims, leases and limits: held in the database, so they hold across workers and dispatchers."""
import random
from datetime import timedelta

from sqlalchemy import select

from sequencer.models import StepRun, StepRunState
from sequencer.outreach.claims import LEASE, claim_due_emails, release_expired
from sequencer.platform import clock


def test_two_dispatchers_never_claim_the_same_run(session, enrol, world):
    for _ in range(5):
        enrol()
    first = claim_due_emails(session, clock.now(), random.Random(1))
    second = claim_due_emails(session, clock.now(), random.Random(2))
    session.commit()
    assert [len(c.run_ids) for c in first] == [5] and second == []  # the slot is taken


def test_min_interval_sends_one_per_slot(session, enrol, world, cycle, sink):
    world["mailbox"].min_interval_seconds = 60
    session.commit()
    for _ in range(3):
        enrol()
    assert cycle()[1].sent == 1
    assert cycle()[1].sent == 0
    waiting = session.scalars(select(StepRun.why_waiting).where(StepRun.state == StepRunState.SCHEDULED,
                                                                StepRun.position == 1)).all()
    assert waiting and all(w.startswith("mailbox throttled, next slot") for w in waiting)
    with clock.frozen(clock.now() + timedelta(seconds=76)):
        assert cycle()[1].sent == 1
    assert len(sink.handler.messages) == 2


def test_daily_limit_in_the_owners_day(session, enrol, world, cycle, sink):
    world["mailbox"].daily_limit = 2
    session.commit()
    for _ in range(3):
        enrol()
    assert cycle()[1].sent == 2
    cycle()
    (left,) = session.scalars(select(StepRun).where(StepRun.state == StepRunState.SCHEDULED,
                                                    StepRun.position == 1)).all()
    assert left.why_waiting.startswith("mailbox daily limit 2/2, next slot Tue 00:00")
    # the rep is in Europe/Vilnius: the next day (from 22:00 UTC) has a fresh budget
    with clock.frozen(clock.now().replace(hour=7) + timedelta(days=1)):
        assert cycle()[1].sent == 2
    session.expire_all()
    sent_today = session.scalars(select(StepRun.position).where(StepRun.sent_at >= clock.now() + timedelta(hours=20)))
    assert sorted(sent_today) == [2, 2]  # threads under way go before new first emails
    assert left.state == StepRunState.SCHEDULED and left.why_waiting.startswith("mailbox daily limit 2/2")


def test_threads_under_way_go_first(session, enrol, world, cycle):
    enrol()
    cycle()
    follow_up = session.scalars(select(StepRun).where(StepRun.position == 2)).one()
    world["mailbox"].daily_limit = 2  # 1 used today: room for one more
    session.commit()
    enrol()  # a new first email, due earlier than the follow-up
    with clock.frozen(follow_up.due_at):
        cycle()
    session.expire_all()
    assert follow_up.state == StepRunState.SENT


def test_expired_claims_are_requeued_or_marked_uncertain(session, enrol, world):
    enrol()
    enrol()
    (claim,) = claim_due_emails(session, clock.now(), random.Random(1))
    session.commit()
    a, b = (session.get(StepRun, i) for i in claim.run_ids)
    a.send_started_at = clock.now()  # a worker died after handing this one to SMTP
    session.commit()
    assert release_expired(session, clock.now() + LEASE - timedelta(seconds=1)) == (0, 0)
    assert release_expired(session, clock.now() + LEASE + timedelta(seconds=1)) == (1, 1)
    session.commit()
    session.expire_all()
    assert a.state == StepRunState.UNCERTAIN and b.state == StepRunState.SCHEDULED


def test_send_batch_is_safe_to_run_twice(session, enrol, world, app, sink):
    from sequencer.mail.delivery import send_batch
    from sequencer.mail.sending import settings_for

    enrol()
    (claim,) = claim_due_emails(session, clock.now(), random.Random(1))
    session.commit()
    settings = settings_for(app.config)
    assert send_batch(session, claim.mailbox_id, claim.run_ids, claim.token, settings).sent == 1
    assert send_batch(session, claim.mailbox_id, claim.run_ids, claim.token, settings).sent == 0
    assert send_batch(session, claim.mailbox_id, claim.run_ids, "forged-token", settings).sent == 0
    assert len(sink.handler.messages) == 1


def test_recipient_domain_daily_cap(session, enrol, world, cycle, sink):
    world["mailbox"].domain_daily_limit = 2
    session.commit()
    for n in range(3):
        enrol(email=f"person{n}@same-corp-demo.com")
    enrol(email="other@elsewhere-demo.com")
    assert cycle()[1].sent == 3
    recipients = sorted(m["To"].addresses[0].addr_spec for m in sink.handler.parsed())
    assert recipients == ["other@elsewhere-demo.com", "person0@same-corp-demo.com", "person1@same-corp-demo.com"]
    (left,) = session.scalars(select(StepRun).where(StepRun.state == StepRunState.SCHEDULED,
                                                    StepRun.position == 1)).all()
    assert left.why_waiting == "recipient domain limit 2/2 for same-corp-demo.com today"


def test_a_send_job_run_twice_never_resends_what_the_first_run_handed_to_smtp(session, sink, enrol, app):
    """The first run crashed after committing send_started_at (SMTP may have the message): a re-run of
    the same job (same claim token, e.g. requeued from the failed registry) must leave it alone."""
    from sqlalchemy import update

    from sequencer.mail.delivery import send_batch
    from sequencer.mail.sending import settings_for

    enrol(), enrol()
    (claim,) = claim_due_emails(session, clock.now(), random.Random(1))
    crashed = claim.run_ids[0]
    session.execute(update(StepRun).where(StepRun.id == crashed).values(send_started_at=clock.now()))
    session.commit()
    result = send_batch(session, claim.mailbox_id, claim.run_ids, claim.token, settings_for(app.config))
    assert result.sent == 1 and len(sink.handler.messages) == 1
    session.expire_all()
    assert session.get(StepRun, crashed).state == StepRunState.SENDING  # becomes uncertain when the lease ends
    assert release_expired(session, clock.now() + LEASE + timedelta(seconds=1)) == (0, 1)
