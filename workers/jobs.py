"""Job functions: take ids or ISO times, reload rows, call a service, commit; safe to run twice."""
from __future__ import annotations

from datetime import datetime

from sequencer.extensions import db, redis_store
from sequencer.platform import clock, queues
from sequencer.runtime.metrics import DISPATCH_PASS
from workers.context import app_context


def dispatch(now_iso: str | None = None) -> dict:
    """One dispatch pass, then one send job per claimed mailbox batch (job id = the claim's token); the next pass
    at once if a mailbox filled its batch."""
    from sequencer.mail.one_off import enqueue as enqueue_one_off, stranded
    from sequencer.mail.one_off_send import settle_stale
    from sequencer.mail.sending import claim_options, dispatch_again
    from sequencer.outreach.dispatch import run_pass

    with app_context() as app:
        now = datetime.fromisoformat(now_iso) if now_iso else clock.now()
        with DISPATCH_PASS.time():
            result = run_pass(db.session, now, **claim_options(app.config))
            settle_stale(db.session, now)  # one-offs whose worker stopped after their start mark
            db.session.commit()
        connection = redis_store.connection(app)
        for one_off_id in stranded(db.session, now):  # one-offs whose send job was never enqueued
            enqueue_one_off(connection, one_off_id)
        send_queue = queues.queue(queues.SEND, connection)
        for claim in result.claims:
            send_queue.enqueue(send_batch, claim.mailbox_id, claim.run_ids, claim.token,
                               job_id=f"send-{claim.token}", job_timeout=600, result_ttl=3600)
        again = dispatch_again(connection, any(claim.full for claim in result.claims))
        return {**result.summary(), "dispatch_again": again}


def send_batch(mailbox_id: int, run_ids: list[int], token: str) -> dict:
    """Send what the claim still owns; a second run finds nothing left to do. A full batch asks for the next pass."""
    from sequencer.mail.delivery import send_batch as deliver
    from sequencer.mail.sending import claim_options, dispatch_again, settings_for

    with app_context() as app:
        result = vars(deliver(db.session, mailbox_id, run_ids, token, settings_for(app.config)))
        dispatch_again(redis_store.connection(app), len(run_ids) >= claim_options(app.config)["max_batch"])
        return result


def send_one_off(one_off_id: int) -> dict:
    """A rep's one-off email, at most once: a second run finds it started or finished and does nothing."""
    from sequencer.mail.one_off_send import send
    from sequencer.mail.sending import settings_for

    with app_context() as app:
        return {"state": send(db.session, one_off_id, settings_for(app.config))}


def poll_inbound() -> dict:
    """Every IMAP mailbox gets its own poll job (one slow server can't hold up the rest); stuck messages resume."""
    from sqlalchemy import select

    from sequencer.inbound.service import stuck
    from sequencer.models import Mailbox

    with app_context() as app:
        ids = list(db.session.scalars(select(Mailbox.id).where(Mailbox.imap_host.is_not(None))))
        queue = queues.queue(queues.DEFAULT, redis_store.connection(app))
        for mailbox_id in ids:
            queue.enqueue(poll_mailbox, mailbox_id, job_timeout=600, result_ttl=600)
        stuck_ids = stuck(db.session, clock.now())
        for inbound_id in stuck_ids:
            queue.enqueue(process_inbound, inbound_id, job_timeout=300)
        return {"mailboxes": len(ids), "resumed": len(stuck_ids)}


def poll_mailbox(mailbox_id: int) -> dict:
    from sequencer.inbound.imap import poll_mailbox as poll
    from sequencer.models import Mailbox
    from sequencer.platform.security import SecretBox

    with app_context() as app:
        mailbox = db.session.get(Mailbox, mailbox_id)
        if mailbox is None or not mailbox.imap_host:
            return {"skipped": True}
        return vars(poll(db.session, mailbox, SecretBox(app.config["SECRET_KEY"]), clock.now()))


def process_inbound(inbound_id: int) -> dict:
    """Classify and act on a stored message that was never processed; a processed one is left alone."""
    from sequencer.inbound.service import process
    from sequencer.models import InboundMessage

    with app_context():
        row = db.session.get(InboundMessage, inbound_id)
        if row is None:
            return {"skipped": True}
        return vars(process(db.session, row, clock.now()))


def remind_stale(now_iso: str | None = None) -> dict:
    """Reminder tasks for stale deals (the database refuses a second one), then the optional owner emails."""
    from sequencer.deals.stale import create_reminders
    from sequencer.mail.notify import email_stale_owners
    from sequencer.mail.sending import settings_for

    with app_context() as app:
        now = datetime.fromisoformat(now_iso) if now_iso else clock.now()
        result = create_reminders(db.session, now)
        db.session.commit()
        emailed = email_stale_owners(db.session, result.created, settings_for(app.config))
        return {**result.summary(), "emailed": emailed}


def email_stale_owner(task_id: int) -> int:
    """Tell the owner of one stale-deal reminder by email (sequencer.mail.notify); once per task."""
    from sequencer.mail.notify import email_stale_owner as notify_owner
    from sequencer.mail.sending import settings_for

    with app_context() as app:
        return int(notify_owner(db.session, task_id, settings_for(app.config)))


def notify_paused_mailboxes() -> dict:
    """Email the admins about mailboxes that paused themselves (once per admin task; safe to run twice)."""
    from sequencer.mail.notify import email_paused_mailbox_admins
    from sequencer.mail.sending import settings_for

    with app_context() as app:
        return {"emailed": email_paused_mailbox_admins(db.session, settings_for(app.config))}


def check_domains(now_iso: str | None = None) -> dict:
    """Daily: re-check every sending domain (SPF, DKIM, DMARC, MX) and tracking domain (CNAME)."""
    return _check_domains(now_iso, only_waiting=False)


def check_new_mailbox_domains(now_iso: str | None = None) -> dict:
    """Every few minutes: check the domains of new mailboxes held back until their DNS passes."""
    return _check_domains(now_iso, only_waiting=True)


def _check_domains(now_iso: str | None, only_waiting: bool) -> dict:
    from sequencer.deliverability.dns_lookup import lookup_for
    from sequencer.deliverability.rechecks import recheck_all
    from sequencer.platform.security import SecretBox

    with app_context() as app:
        now = datetime.fromisoformat(now_iso) if now_iso else clock.now()
        summary = recheck_all(db.session, lookup_for(app.config), SecretBox(app.config["SECRET_KEY"]),
                              app.config["BASE_URL"], now, only_waiting=only_waiting)
        db.session.commit()
        return summary


def run_import(import_id: int) -> dict:
    """Import (or resume importing) an uploaded CSV; a finished import is left alone."""
    from sequencer.people.csv_import.runner import run_import as run

    with app_context():
        imp = run(db.session, import_id, clock.now())
        return {"status": imp.status.value if imp else "missing"}


def resume_imports() -> dict:
    """Enqueue imports waiting for the queue and those whose worker went silent; an import skips what was committed."""
    from sequencer.people.csv_import.launch import resume

    with app_context() as app:
        return {"resumed": resume(db.session, redis_store.connection(app), clock.now())}


def auto_promote() -> dict:
    """Promote A/B winners on steps that opted in; a second run finds them decided and does nothing."""
    from sequencer.sequences.promotion import auto_promote as promote

    with app_context():
        decided = promote(db.session, clock.now())
        db.session.commit()
        return {"promoted": [d.variant_id for d in decided]}


def score_decay(now_iso: str | None = None) -> dict:
    """One decay pass (sequencer.scoring.decay): idle prospects lose engagement; a second run takes nothing more."""
    from sequencer.scoring.decay import run

    with app_context():
        now = datetime.fromisoformat(now_iso) if now_iso else clock.now()
        result = run(db.session, now)
        db.session.commit()
        return result


def score_pending(now_iso: str | None = None) -> dict:
    """Score the activities Sequencer recorded from its own events (opens, replies, meetings...)."""
    from sequencer.scoring import soon
    from sequencer.scoring.rescore import pending

    with app_context() as app:
        soon.starting(redis_store.connection(app))
        now = datetime.fromisoformat(now_iso) if now_iso else clock.now()
        outcome = pending(db.session, now)
        db.session.commit()
        return {"lines": outcome.lines, "sales_ready": len(outcome.crossed), "dropped": len(outcome.dropped)}


def rescore(now_iso: str | None = None) -> dict:
    """Re-score every prospect under the rules in force, committing chunk by chunk; exact and idempotent."""
    from sequencer.scoring.rescore import rescore_all

    with app_context():
        now = datetime.fromisoformat(now_iso) if now_iso else clock.now()
        outcome = rescore_all(db.session, now, commit=db.session.commit)
        db.session.commit()
        return {"lines": outcome.lines, "sales_ready": len(outcome.crossed), "dropped": len(outcome.dropped)}


def webhooks_pump() -> dict:
    """Fan new outbox events out and drain due endpoints (each in its own thread); again at once if work remains."""
    from sequencer.mail.sending import settings_for
    from sequencer.webhooks.drain import settings_from
    from sequencer.webhooks.owner_mail import email_owner, to_tell
    from sequencer.webhooks.pump import pump

    with app_context() as app:
        result = pump(db.engine, settings_from(app.config))
        for endpoint_id in to_tell(db.session):  # also those a drainer still busy after the last pass disabled
            email_owner(db.session, endpoint_id, settings_for(app.config))
        if result.more:
            queues.enqueue(queues.WEBHOOKS, "workers.jobs.webhooks_pump", connection=redis_store.connection(app),
                           job_timeout=120, result_ttl=60)
        return result.summary()


def goals_monday_summary(now_iso: str | None = None) -> dict:
    """Mondays: each manager's goal pace email (sequencer.goals.summary); a second run the same week sends nothing."""
    from sequencer.goals.summary import send_monday_summaries
    from sequencer.mail.sending import settings_for

    with app_context() as app:
        now = datetime.fromisoformat(now_iso) if now_iso else clock.now()
        return {"emailed": send_monday_summaries(db.session, now, settings_for(app.config))}


def process_form_submission(submission_id: int) -> dict:
    """A website form submission: contact, owner, welcome email, enrolment, speed-to-lead task (sequencer.forms);
    the claim makes a second run, or a second worker, do nothing. The welcome email is dispatched at once."""
    from sequencer.forms.process import process
    from sequencer.mail.sending import settings_for

    with app_context() as app:
        result = process(db.session, submission_id, settings_for(app.config))
        if result.status == "processed":
            from sequencer.forms.queueing import kick_dispatch

            kick_dispatch(redis_store.connection(app))
        return vars(result)


def fan_out_form_submissions() -> dict:
    """One job per waiting submission (so several workers share a burst); see sequencer.forms.queueing."""
    from sequencer.forms.queueing import fan_out

    with app_context() as app:
        return {"enqueued": fan_out(db.session, redis_store.connection(app))}


def dispatch_form_welcomes() -> dict:
    """A dispatch pass for welcome emails just queued; the flag is cleared first, so a later lead kicks again."""
    from sequencer.forms.queueing import DISPATCH_KICK

    with app_context() as app:
        redis_store.connection(app).delete(DISPATCH_KICK)
    return dispatch()


def escalate_form_leads(now_iso: str | None = None) -> dict:
    """Untouched speed-to-lead tasks: reminder, manager told, reassignment (each once, in business hours)."""
    from sequencer.forms.escalation import run

    with app_context():
        now = datetime.fromisoformat(now_iso) if now_iso else clock.now()
        result = run(db.session, now)
        db.session.commit()
        return result.summary()


def resume_form_submissions() -> dict:
    """Submissions whose job was lost (Redis flushed, a worker died) are enqueued again; the claim dedupes."""
    from sequencer.forms.queueing import stranded

    with app_context() as app:
        ids = stranded(db.session, clock.now())
        for submission_id in ids:
            queues.enqueue(queues.DEFAULT, "workers.jobs.process_form_submission", submission_id,
                           connection=redis_store.connection(app), job_timeout=300, result_ttl=600)
        return {"resumed": len(ids)}
