"""The operator mode's set-up for bench/send_throughput.py: prospects enrolled through the public API."""
from __future__ import annotations

import time

from sqlalchemy import text

from sequencer.accounts.tokens import create_api_token
from sequencer.extensions import db
from sequencer.models import Role, User

CHUNK = 1000


def enrol_through_api(app, params: dict) -> None:
    """`POST /api/v1/sequences/{id}/enrollments` per mailbox, CHUNK prospects a call, as an admin's token."""
    with app.app_context():
        admin = User(email="admin@bench.test", name="Bench Admin", role=Role.ADMIN, password_hash="x")
        db.session.add(admin)
        db.session.flush()
        token = create_api_token(db.session, admin)
        db.session.commit()
        prospects = db.session.execute(text("SELECT id FROM prospects ORDER BY id")).scalars().all()
        db.session.rollback()
    client = app.test_client()
    boxes = params["boxes"]
    started, enrolled = time.perf_counter(), 0
    for index, box in enumerate(boxes):
        mine = prospects[index::len(boxes)]
        for start in range(0, len(mine), CHUNK):
            response = client.post(f"/api/v1/sequences/{params['seq']}/enrollments",
                                   json={"prospect_ids": mine[start:start + CHUNK], "mailbox_id": box},
                                   headers={"Authorization": f"Bearer {token}"})
            assert response.status_code == 201, response.get_data(as_text=True)[:500]
            enrolled += len(response.get_json()["enrolled"])
    print(f"enrolled {enrolled:,} prospects through the API in {time.perf_counter() - started:.1f} s")
    with app.app_context():
        db.session.execute(text("ANALYZE"))
        db.session.commit()
