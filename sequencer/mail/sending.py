"""The dispatch-then-send cycle, shared by the RQ jobs and `tick --sync`."""
from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

import redis
from rq import Worker
from sqlalchemy.orm import Session

from sequencer.mail.delivery import BatchResult, SendSettings, send_batch
from sequencer.mail.one_off_send import settle_stale
from sequencer.outreach.dispatch import PassResult, run_pass
from sequencer.platform import clock, queues


def settings_for(config: Mapping[str, Any]) -> SendSettings:
    """Sending settings from the app's configuration (passed in: services don't reach for Flask)."""
    return SendSettings(base_url=config["BASE_URL"], secret_key=config["SECRET_KEY"],
                        outbox_dir=config["OUTBOX_DIR"], clock=clock.now)


def claim_options(config: Mapping[str, Any]) -> dict:
    """run_pass keyword arguments from the app's config: how long a claim holds, how big it gets."""
    return {"lease": timedelta(seconds=config.get("SEND_LEASE_SECONDS") or 120),
            "max_batch": config.get("SEND_BATCH_SIZE") or 200}


def dispatch_and_send(session: Session, config: Mapping[str, Any], now: datetime) -> tuple[PassResult, BatchResult]:
    """Run a pass, commit its claims, then send every batch in this process."""
    result = run_pass(session, now, **claim_options(config))
    settle_stale(session, now)
    session.commit()
    total = BatchResult()
    settings = settings_for(config)
    for claim in result.claims:
        batch = send_batch(session, claim.mailbox_id, claim.run_ids, claim.token, settings)
        for name, value in vars(batch).items():
            setattr(total, name, getattr(total, name) + value)
    return result, total


def dispatch_again(connection: redis.Redis, filled: bool) -> bool:
    """Enqueue the next dispatch pass at once when the last one (or a send batch) filled a mailbox's batch, so a
    backlog does not wait for the cron's next tick; not while a pass is already waiting, nor while enough send
    jobs are queued to keep every worker busy (they ask again as they finish). True if one was enqueued."""
    if not filled or len(queues.queue(queues.DISPATCH, connection)):
        return False
    workers = max(1, Worker.count(connection=connection))
    if len(queues.queue(queues.SEND, connection)) >= 2 * workers:
        return False
    queues.enqueue(queues.DISPATCH, "workers.jobs.dispatch", connection=connection, job_timeout=120, result_ttl=60)
    return True
