"""The demo's people and content: the team and mailboxes, personas, companies, prospects, sequences."""
from __future__ import annotations

import re
from collections import Counter
from zoneinfo import ZoneInfo

from jinja2 import StrictUndefined
from jinja2.sandbox import SandboxedEnvironment
from sqlalchemy import select

from sequencer.accounts.tokens import authenticate
from sequencer.accounts.workspace import get_workspace
from sequencer.demo import DEMO_LOGINS, DEMO_PASSWORD
from sequencer.models import Company, Form, FormSubmission, Mailbox, Persona, Prospect, Sequence, User, Variant
from sequencer.models.mail import Transport
from tests.demo.helpers import rows_of


def test_workspace_team_and_mailboxes(session, seeded):
    ws = get_workspace(session)
    assert ws.company_name and "Vilnius" in ws.postal_address
    users = {u.email: u for u in rows_of(session, User)}
    assert {e for e, _ in DEMO_LOGINS} <= set(users)
    assert {(e, users[e].role.value) for e, _ in DEMO_LOGINS} == set(DEMO_LOGINS)
    assert users["manager@example.com"].timezone == "Europe/Vilnius"
    assert users["rep@example.com"].timezone == "Europe/Vilnius"
    assert users["rep2@example.com"].timezone == "America/New_York"
    assert authenticate(session, "rep@example.com", DEMO_PASSWORD) is not None
    assert len({u.password_hash for u in users.values()}) == 1  # hashed once
    for rep in ("rep@example.com", "rep2@example.com"):
        boxes = rows_of(session, Mailbox, Mailbox.owner_id == users[rep].id)
        assert len(boxes) == 1 and boxes[0].transport == Transport.OUTBOX


def test_personas_companies_and_prospects(session, seeded):
    personas = {p.key: p for p in rows_of(session, Persona)}
    assert {"cfo", "cto", "head_of_sales"} <= set(personas)
    keywords = {k for p in personas.values() for k in p.title_keywords}
    assert {"Finansų direktorius", "Leiter Finanzen", "IT direktorius", "Vertriebsleiter",
            "Pardavimų vadovas"} <= keywords
    assert all(p.description for p in personas.values())

    companies = rows_of(session, Company)
    assert 45 <= len(companies) <= 55
    assert {c.country for c in companies} == {"LT", "DE", "US"}
    assert all(c.domain.endswith("-demo.com") and c.industry and c.size for c in companies)

    from_forms = set(session.scalars(select(FormSubmission.prospect_id)))  # website leads: only what they typed
    prospects = [p for p in rows_of(session, Prospect) if p.id not in from_forms]
    assert 180 <= len(prospects) <= 220
    names = {p.name for p in prospects}
    assert {"Šarūnas Žukauskas", "Jūratė Čepulienė", "Dalia Grybauskienė", "Mindaugas Ąžuolas",
            "Jürgen Müller", "Käthe Groß"} <= names
    for p in prospects:
        assert p.email_normalized == p.email.strip().lower()
        assert re.fullmatch(r"\+[1-9]\d{7,14}", p.phone), p.phone
        ZoneInfo(p.timezone)
        assert p.country in ("LT", "DE", "US") and p.city and p.language
        assert p.linkedin_url.startswith("https://www.linkedin.com/in/")
        assert p.company_id is not None and p.owner_id is not None
    assert {p.timezone for p in prospects} >= {"Europe/Vilnius", "Europe/Berlin", "America/New_York",
                                               "America/Chicago", "America/Los_Angeles"}
    assert {p.persona.key for p in prospects if p.persona} == {"cfo", "cto", "head_of_sales"}
    assert any("erp" in p.fields for p in prospects) and any("erp" not in p.fields for p in prospects)
    assert {"bounced", "unsubscribed", "do_not_contact", "active"} <= {p.status.value for p in prospects}


def test_sequences_steps_and_variants(session, seeded):
    welcomes = set(session.scalars(select(Form.welcome_sequence_id)))  # the website forms' one-email sequences
    seqs = [s for s in rows_of(session, Sequence) if s.id not in welcomes]
    assert Counter(s.status.value for s in seqs)["active"] == 3
    assert {s.status.value for s in seqs} & {"draft", "paused"}
    types = {st.type.value for s in seqs for st in s.steps}
    assert {"auto_email", "manual_email", "call", "linkedin_view", "linkedin_connect",
            "linkedin_message"} <= types
    for s in seqs:
        assert [st.position for st in s.steps] == list(range(1, len(s.steps) + 1))
        assert all(st.wait_days >= 1 for st in s.steps[1:])
        assert all(st.instructions for st in s.steps if not st.type.is_email)
    ab = [st for s in seqs for st in s.steps if len(st.variants) == 2]
    assert ab and [(v.label, v.weight) for v in ab[0].variants] == [("A", 50), ("B", 50)]
    first = next(s for s in seqs if s.steps[0].variants[0].by_persona).steps[0]
    assert {"cfo", "cto"} <= set(first.variants[0].by_persona)
    env = SandboxedEnvironment(undefined=StrictUndefined)
    sources = [t for v in rows_of(session, Variant)
               for t in (v.subject, v.body, *[x for o in v.by_persona.values() for x in o.values()])]
    assert any("prospect.fields.erp | default(" in t for t in sources)
    for source in sources:
        env.parse(source)
