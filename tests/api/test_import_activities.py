"""Webinar attendees by CSV: the import's "record as activity" option scores every imported row once."""
from __future__ import annotations

import io

from sqlalchemy import func, select

from sequencer.models import Activity, Prospect
from sequencer.platform import clock
from tests.people.csv_import.helpers import csv_bytes

ROWS = [["Email", "First name"], ["ruta@uab.lt", "Rūta"], ["jonas@uab.lt", "Jonas"]]


def _post(caller, **form):
    return caller.post("/api/v1/prospects/import", data={"file": (io.BytesIO(csv_bytes(ROWS, ",", "utf-8")), "a.csv"),
                                                         **form}, content_type="multipart/form-data")


def test_webinar_attendees_by_csv_are_scored(api, session, factory):
    manager = api("manager")
    known = factory.prospect(email="ruta@uab.lt")
    session.commit()
    day = clock.now().date().isoformat()
    res = _post(manager, activity_kind="webinar_attended", activity_at=day, activity_title="Close the month")
    assert res.status_code == 202, res.json
    assert res.json["created"] == 1 and res.json["updated"] + res.json["skipped"] == 1
    session.expire_all()
    scores = dict(session.execute(select(Prospect.email, Prospect.score_engagement)).all())
    assert scores == {"ruta@uab.lt": 20, "jonas@uab.lt": 20}
    assert session.scalar(select(Activity.properties).where(Activity.prospect_id == known.id))["title"] == \
        "Close the month"
    assert session.scalar(select(func.count(Activity.id)).where(Activity.source == "import")) == 2


def test_record_as_activity_refuses_a_bad_kind_or_date(api):
    manager = api("manager")
    bad = _post(manager, activity_kind="telepathy")
    assert bad.status_code == 422 and bad.json["error"]["details"][0]["field"] == "activity_kind"
    ancient = _post(manager, activity_kind="webinar_attended", activity_at="2001-01-01")
    assert ancient.status_code == 422 and ancient.json["error"]["details"][0]["field"] == "activity_at"
