"""The periodic schedule, declared as data next to the jobs it names.

`sequencer cron` runs it with RQ's CronScheduler, `sequencer jobs list|run` lists it or runs one job
(sequencer.runtime.periodic holds that machinery and loads this module by name).
"""
from __future__ import annotations

from sequencer.platform import queues
from sequencer.runtime.periodic import Periodic
from workers import jobs

SCHEDULE: tuple[Periodic, ...] = (
    Periodic(jobs.dispatch, queues.DISPATCH, interval_seconds=15),
    Periodic(jobs.poll_inbound, queues.DEFAULT, interval_seconds=60),
    Periodic(jobs.remind_stale, queues.DEFAULT, interval_seconds=900),
    Periodic(jobs.notify_paused_mailboxes, queues.DEFAULT, interval_seconds=60),
    Periodic(jobs.resume_imports, queues.DEFAULT, interval_seconds=120),
    Periodic(jobs.score_pending, queues.DEFAULT, interval_seconds=30),
    Periodic(jobs.score_decay, queues.DEFAULT, interval_seconds=3600, timeout_seconds=1800),
    Periodic(jobs.webhooks_pump, queues.WEBHOOKS, interval_seconds=5),  # retries falling due, missed nudges
    Periodic(jobs.escalate_form_leads, queues.DEFAULT, interval_seconds=60),
    Periodic(jobs.resume_form_submissions, queues.DEFAULT, interval_seconds=60),
    Periodic(jobs.auto_promote, queues.DEFAULT, interval_seconds=3600, timeout_seconds=600),
    Periodic(jobs.check_domains, queues.DEFAULT, interval_seconds=86400, timeout_seconds=600),
    Periodic(jobs.check_new_mailbox_domains, queues.DEFAULT, interval_seconds=300),
    Periodic(jobs.goals_monday_summary, queues.DEFAULT, interval_seconds=3600, timeout_seconds=600),  # Mondays only
)
