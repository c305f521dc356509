from datetime import timedelta

from rq import SimpleWorker
from sqlalchemy import select

from sequencer.models import EnrollmentStatus, Event
from sequencer.models.enrollments import Enrollment
from sequencer.outreach.dispatch import run_pass
from sequencer.platform import clock
from sequencer.runtime.periodic import build_cron, load_schedule
from workers import jobs, queues
from workers.context import bind_app
from workers.schedule import SCHEDULE


def _enrollment(factory, session, **kw):
    seq = factory.sequence(steps=1)
    row = Enrollment(prospect=factory.prospect(), sequence=seq, **kw)
    session.add(row)
    session.flush()
    return row


def test_pass_resumes_only_expired_pauses(session, factory):
    now = clock.now()
    expired = _enrollment(factory, session, status=EnrollmentStatus.PAUSED, paused_until=now - timedelta(minutes=1))
    later = _enrollment(factory, session, status=EnrollmentStatus.PAUSED, paused_until=now + timedelta(days=1))
    open_ended = _enrollment(factory, session, status=EnrollmentStatus.PAUSED)
    session.commit()

    assert run_pass(session, now).resumed == 1
    session.commit()
    session.expire_all()
    assert expired.status == EnrollmentStatus.ACTIVE and expired.paused_until is None
    assert later.status == open_ended.status == EnrollmentStatus.PAUSED
    events = session.scalars(select(Event).where(Event.kind == "resumed")).all()
    assert [e.enrollment_id for e in events] == [expired.id]

    assert run_pass(session, now).resumed == 0  # a second pass is harmless


def test_dispatch_job_runs_on_a_real_worker(app, session, factory, redis_conn):
    now = clock.now()
    row = _enrollment(factory, session, status=EnrollmentStatus.PAUSED, paused_until=now - timedelta(hours=1))
    session.commit()
    bind_app(app)
    q = queues.queue(queues.DISPATCH, redis_conn)
    job = q.enqueue(jobs.dispatch, now.isoformat())
    q.enqueue(jobs.dispatch, now.isoformat())  # twice: safe
    SimpleWorker([q], connection=redis_conn).work(burst=True)
    assert job.return_value()["resumed"] == 1
    session.expire_all()
    assert row.status == EnrollmentStatus.ACTIVE
    assert len(session.scalars(select(Event).where(Event.kind == "resumed")).all()) == 1


def test_schedule_is_declared_as_data_and_registers_with_rq_cron(app):
    assert any(p.func is jobs.dispatch and p.interval_seconds <= 30 for p in SCHEDULE)
    cron = build_cron(app, load_schedule())
    assert {(j.queue_name, j.interval) for j in cron.get_jobs()} == {(p.queue, p.interval_seconds) for p in SCHEDULE}
