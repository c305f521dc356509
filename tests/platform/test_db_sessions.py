"""How a request's session ends: what a handler wrote and did not commit is rolled back, however it was written;
a transaction that only read ends with a COMMIT so psycopg keeps its prepared statements for the next request."""
from __future__ import annotations

import pytest
from sqlalchemy import select, update

from sequencer.extensions import db
from sequencer.models import Prospect, User
from sequencer.people.csv_import.bulk import insert_new_prospects
from sequencer.platform import clock


def _flush_orm(user_id: int) -> None:
    db.session.get(User, user_id).name = "Changed"
    db.session.flush()


def _pending_orm(user_id: int) -> None:
    db.session.get(User, user_id).name = "Changed"


def _core_update(user_id: int) -> None:
    db.session.execute(update(User).where(User.id == user_id).values(name="Changed"))


def _driver_sql(user_id: int) -> None:
    db.session.connection().exec_driver_sql(f"UPDATE users SET name = 'Changed' WHERE id = {int(user_id)}")


def _bulk_copy(user_id: int) -> None:
    """On PostgreSQL a COPY through the driver's own cursor, which SQLAlchemy never sees."""
    now = clock.now()
    insert_new_prospects(db.session, [{"email": "copied@example.com", "email_normalized": "copied@example.com",
                                       "first_name": "Copy", "last_name": "", "status": "active", "created_at": now,
                                       "updated_at": now, "fields": {},
                                       "owner_id": user_id}])


def _committed_user(factory) -> User:
    user = factory.user("rep", name="Original")
    db.session.commit()  # the request below runs in its own app context, session and transaction
    return user


@pytest.mark.parametrize("write", [_flush_orm, _pending_orm, _core_update, _driver_sql, _bulk_copy])
def test_what_a_handler_wrote_and_did_not_commit_is_rolled_back(app, factory, write):
    user = _committed_user(factory)
    with app.app_context():
        write(user.id)
    db.session.expire_all()
    assert db.session.scalar(select(User.name).where(User.id == user.id)) == "Original"
    assert db.session.scalar(select(Prospect.id).where(Prospect.email == "copied@example.com")) is None


def test_what_a_handler_committed_stays_and_reads_after_it_end_cleanly(app, factory):
    user = _committed_user(factory)
    with app.app_context():
        _flush_orm(user.id)
        db.session.commit()
        assert db.session.scalar(select(User.name).where(User.id == user.id)) == "Changed"
    db.session.expire_all()
    assert db.session.scalar(select(User.name).where(User.id == user.id)) == "Changed"


@pytest.mark.postgres
def test_a_request_that_only_read_leaves_its_statements_prepared(app, factory):
    user = _committed_user(factory)
    with app.app_context():
        for _ in range(6):  # psycopg prepares a statement on its fifth run
            db.session.scalars(select(User).where(User.id == user.id)).one()
        raw = db.session.connection().connection.dbapi_connection
    try:
        prepared = raw.execute("SELECT count(*) FROM pg_prepared_statements").fetchone()[0]
    finally:
        raw.rollback()
    assert prepared >= 1


@pytest.mark.postgres
def test_a_request_that_wrote_and_did_not_commit_is_rolled_back_not_committed(app, factory):
    """The guard itself: the same reads followed by an uncommitted write leave nothing behind."""
    user = _committed_user(factory)
    with app.app_context():
        for _ in range(6):
            db.session.scalars(select(User).where(User.id == user.id)).one()
        _core_update(user.id)
        raw = db.session.connection().connection.dbapi_connection
    assert raw.execute("SELECT count(*) FROM pg_prepared_statements").fetchone()[0] == 0  # a ROLLBACK ran
    raw.rollback()
    db.session.expire_all()
    assert db.session.scalar(select(User.name).where(User.id == user.id)) == "Original"
