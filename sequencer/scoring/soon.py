"""Getting Sequencer's own activities scored within seconds, for one Redis SET per commit.

The first commit of a burst raises a flag and enqueues `score_pending`; the job clears the flag before it reads,
so an activity committed after that read raises it again and nothing waits for the periodic sweep. A lost job
holds the flag five seconds at most (the sweep scores its activities anyway: the database is the truth).
"""
from __future__ import annotations

import redis

from sequencer.platform import queues

KICK = "scoring:kick"
JOB = "workers.jobs.score_pending"


def kick(conn: redis.Redis) -> None:
    """After a commit that recorded activities: wake the scorer unless a run is already waiting to start."""
    if conn.set(KICK, 1, nx=True, px=5_000):
        queues.enqueue(queues.DEFAULT, JOB, connection=conn, job_id="score-pending-now", job_timeout=600,
                       result_ttl=60)


def starting(conn: redis.Redis) -> None:
    """The scorer is about to read what is pending: a commit from now on must wake it again."""
    conn.delete(KICK)
