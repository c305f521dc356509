"""Settings → Users: edit a user, reset a password, pick a time zone; every field error comes back at once."""
from __future__ import annotations

from sqlalchemy import select
from werkzeug.security import check_password_hash

from sequencer.models import User
from tests.conftest import TEST_PASSWORD


def test_admin_edits_a_user(client, as_role, factory, session):
    as_role("admin")
    rep = factory.user("rep", name="Old Name", email="old@example.com")
    session.commit()
    page = client.get(f"/settings/users/{rep.id}").get_data(as_text=True)
    assert '<option value="Europe/Vilnius"' in page and '<option value="America/New_York"' in page  # the picker
    response = client.post(f"/settings/users/{rep.id}", data={"name": "Nauja Vardas", "email": "New@Example.com",
                                                              "role": "manager", "timezone": "America/New_York"})
    assert response.status_code == 302
    session.expire_all()
    user = session.get(User, rep.id)
    assert (user.name, user.email, user.role.value, user.timezone) == \
        ("Nauja Vardas", "new@example.com", "manager", "America/New_York")


def test_every_field_error_comes_back_at_once_and_nothing_is_saved(client, as_role, factory, session):
    as_role("admin")
    factory.user("rep", email="taken@example.com")
    rep = factory.user("rep", name="Keep Me", email="keep@example.com")
    session.commit()
    response = client.post(f"/settings/users/{rep.id}", data={"name": " ", "email": "taken@example.com",
                                                              "role": "boss", "timezone": "Mars/Olympus"})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    for field in ("name", "email", "role", "timezone"):
        assert f'id="error-{field}"' in html, field
    assert "Another user already signs in with this address." in html
    assert "Pick a time zone from the list" in html and "Please fix 4 things below" in html
    session.expire_all()
    assert session.get(User, rep.id).name == "Keep Me"


def test_create_user_reports_every_field_at_once(client, as_role, session):
    as_role("admin")
    response = client.post("/settings/users", data={"email": "not-an-address", "role": "boss",
                                                    "timezone": "Mars/Olympus", "password": "short"})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    for field in ("email", "role", "timezone", "password"):
        assert f'id="error-{field}"' in html, field


def test_admin_cannot_change_their_own_role(client, as_role, session):
    admin = as_role("admin")
    response = client.post(f"/settings/users/{admin.id}", data={"name": "Me", "email": admin.email,
                                                                "role": "rep", "timezone": "UTC"})
    assert response.status_code == 422 and "You cannot change your own role" in response.get_data(as_text=True)


def test_reset_password_sets_it_and_ends_the_users_sessions(app, client, as_role, factory, session):
    as_role("admin")
    rep = factory.user("rep", email="reset-me@example.com")
    session.commit()
    generation = rep.session_generation or 0
    bad = client.post(f"/settings/users/{rep.id}/password", data={"password": "short", "confirm": "other"})
    assert bad.status_code == 422
    assert 'id="error-password"' in bad.get_data(as_text=True) and 'id="error-confirm"' in bad.get_data(as_text=True)
    ok = client.post(f"/settings/users/{rep.id}/password",
                     data={"password": "brand new secret 7", "confirm": "brand new secret 7"})
    assert ok.status_code == 302
    session.expire_all()
    assert check_password_hash(session.scalars(select(User).where(User.id == rep.id)).one().password_hash,
                               "brand new secret 7")
    assert session.get(User, rep.id).session_generation == generation + 1  # every open session of theirs ends
    assert not check_password_hash(session.get(User, rep.id).password_hash, TEST_PASSWORD)  # the old one is gone


def test_reps_and_managers_cannot_edit_users(client, as_role, factory, session):
    other = factory.user("rep")
    session.commit()
    as_role("manager")
    assert client.get(f"/settings/users/{other.id}").status_code == 403
    assert client.post(f"/settings/users/{other.id}/password",
                       data={"password": "brand new secret 7", "confirm": "brand new secret 7"}).status_code == 403
