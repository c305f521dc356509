"""The feed never skips or repeats an event while writers commit out of id order (PostgreSQL: two connections)."""
from __future__ import annotations

import random
import threading
import time

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from sequencer.extensions import db
from sequencer.models import Prospect, WebhookEvent
from sequencer.webhooks import feed

_n = iter(range(10**9))


def _prospect(session: Session) -> None:
    n = next(_n)
    session.add(Prospect(email=f"w{n}@example.com", email_normalized=f"w{n}@example.com"))
    session.flush()


def _page(engine, after: str, limit: int = 50) -> dict:
    with Session(engine) as reader:
        feed.settle(reader)  # as the API does before each page
        reader.commit()
        return feed.page(reader, after, None, limit)


@pytest.mark.postgres
def test_a_later_id_committed_first_comes_first_and_the_earlier_one_is_not_skipped(app):
    engine = db.engine
    start = _page(engine, "")["next"]
    with Session(engine) as first, Session(engine) as second:
        _prospect(first)  # the lower id, still open
        _prospect(second)
        second.commit()
        page = _page(engine, start)
        (later,) = page["events"]
        first.commit()  # a cursor on ids would now be past this one
    (earlier,) = _page(engine, page["next"])["events"]
    assert earlier["id"] < later["id"]


@pytest.mark.postgres
def test_concurrent_writers_never_make_a_page_skip_or_repeat_an_event(app):
    engine = db.engine
    stop = threading.Event()

    def writer(seed: int) -> None:
        rng = random.Random(seed)
        while not stop.is_set():
            with Session(engine) as s:
                for _ in range(rng.randint(1, 3)):
                    _prospect(s)
                time.sleep(rng.random() * 0.02)  # hold the transaction open so commits interleave
                s.commit()

    threads = [threading.Thread(target=writer, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    seen: list[int] = []
    after = ""
    deadline = time.monotonic() + 3
    while time.monotonic() < deadline:
        page = _page(engine, after, limit=7)
        seen += [e["id"] for e in page["events"]]
        after = page["next"]
    stop.set()
    for t in threads:
        t.join()
    while True:
        page = _page(engine, after, limit=500)
        if not page["events"]:
            break
        seen += [e["id"] for e in page["events"]]
        after = page["next"]
    with Session(engine) as s:
        written = set(s.scalars(select(WebhookEvent.id)))
    assert len(seen) == len(set(seen)), "an event was repeated"
    assert set(seen) == written, "an event was skipped"
    assert len(written) > 50
