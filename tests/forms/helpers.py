"""Building forms and posting to them the way the public door does, for the forms tests."""
from __future__ import annotations

from datetime import timedelta

from sequencer.forms import definitions, spam
from sequencer.platform import clock

FIELDS = [{"name": "email", "label": "Work email", "required": True},
          {"name": "first_name", "label": "First name"}, {"name": "last_name", "label": "Last name"},
          {"name": "company", "label": "Company"}, {"name": "title", "label": "Job title"},
          {"name": "country", "label": "Country"}, {"name": "city", "label": "City"},
          {"name": "consent", "label": "Consent", "required": True},
          {"name": "team_size", "label": "Team size", "maps_to": "custom:team_size"}]


def make_form(session, manager, reps=(), **overrides):
    data = {"name": "Book a demo", "kind": "demo_request", "fields": FIELDS,
            "consent_text": "I agree to be contacted about Acme.", "booking_url": "https://cal.example.com/acme",
            "routing": {"rules": [], "round_robin": [{"user_id": r.id, "weight": 1} for r in reps]}}
    data.update(overrides)
    form = definitions.create(session, data, manager)
    session.commit()
    return form


def shown_token(app, form, seconds_ago: int = 10) -> str:
    return spam.timing_token(app.config["SECRET_KEY"], form.id, clock.now() - timedelta(seconds=seconds_ago))


def good_post(app, form, **fields):
    body = {"email": "Anna.Berg@Acme-Corp.com ", "first_name": "Anna", "last_name": "Berg", "company": "Acme",
            "title": "Chief Financial Officer", "country": "Lithuania", "city": "Vilnius", "consent": "on",
            "team_size": "40", "_t": shown_token(app, form), "utm_source": "linkedin"}
    body.update(fields)
    return {k: v for k, v in body.items() if v is not None}
