"""Rows stored at the ends of the calendar (9999-12-31, 1970-01-01) before the edge refused them: every
page an admin, a manager and a rep can open still answers without a 5xx."""
from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from sequencer.models import EnrollmentStatus
from tests.conftest import login

FAR = datetime(9999, 12, 31, 23, 0, tzinfo=UTC)
EARLY = datetime(1970, 1, 1, 0, 0, tzinfo=UTC)


def _world(factory, session, rep):
    prospect = factory.prospect(timezone="Pacific/Kiritimati", owner_id=rep.id)
    mailbox = factory.mailbox(owner_id=rep.id)
    enrollment = factory.enrollment(prospect=prospect, status=EnrollmentStatus.PAUSED, paused_until=FAR,
                                    mailbox_id=mailbox.id)
    factory.step_run(enrollment, due_at=FAR)
    factory.task("call", owner_id=rep.id, prospect_id=prospect.id, due_at=FAR, snoozed_until=FAR,
                 enrollment_id=enrollment.id)
    factory.task("call", owner_id=rep.id, prospect_id=prospect.id, due_at=EARLY)
    factory.opportunity(owner=rep, prospect=prospect, close_date=date(9999, 12, 31))
    factory.time_off(rep, date(9999, 12, 29))
    session.commit()


@pytest.mark.parametrize("role", ["admin", "manager", "rep"])
def test_every_page_opens_with_rows_at_the_ends_of_the_calendar(app, client, factory, session, role):
    rep = factory.user("rep", timezone="Pacific/Kiritimati")
    viewer = rep if role == "rep" else factory.user(role, timezone="Pacific/Kiritimati")
    _world(factory, session, rep)
    login(client, viewer.email)
    broken, crawled = [], []
    for rule in app.url_map.iter_rules():
        if not rule.endpoint.startswith("web.") or "GET" not in rule.methods or "logout" in rule.rule:
            continue
        if any(rule._converters[a].__class__.__name__ != "IntegerConverter" for a in rule.arguments):
            continue
        url = rule.build(dict.fromkeys(rule.arguments, 1))[1]
        status = client.get(url).status_code
        crawled.append((url, status))
        if status >= 500:
            broken.append(f"{url} → {status}")
    assert not broken
    assert len(crawled) > 30  # the crawl really reached the pages
