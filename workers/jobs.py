"""Job functions: take ids or ISO times, reload rows, call a service, commit; safe to run twice."""
from __future__ import annotations

from datetime import datetime

from sequencer import clock
from sequencer.extensions import db, redis_store
from workers import queues
from workers.context import app_context


def dispatch(now_iso: str | None = None) -> dict:
    """One dispatch pass, then one send job per claimed mailbox batch (job id = the claim's token)."""
    from sequencer.dispatch import run_pass
    from sequencer.sending import claim_options

    with app_context() as app:
        now = datetime.fromisoformat(now_iso) if now_iso else clock.now()
        result = run_pass(db.session, now, **claim_options(app))
        db.session.commit()
        send_queue = queues.queue(queues.SEND, redis_store.connection(app))
        for claim in result.claims:
            send_queue.enqueue(send_batch, claim.mailbox_id, claim.run_ids, claim.token,
                               job_id=f"send-{claim.token}", job_timeout=600, result_ttl=3600)
        return result.summary()


def send_batch(mailbox_id: int, run_ids: list[int], token: str) -> dict:
    """Send what the claim still owns; a second run finds nothing left to do."""
    from sequencer.delivery import send_batch as deliver
    from sequencer.sending import settings_for

    with app_context() as app:
        return vars(deliver(db.session, mailbox_id, run_ids, token, settings_for(app)))
