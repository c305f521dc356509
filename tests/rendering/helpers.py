"""A context with every schema variable set (Lithuanian and German names), and validation shorthands."""
from __future__ import annotations

from types import SimpleNamespace

from sequencer.rendering import build_context, validate_template

ALL_VARIABLES = """\
{{ prospect.first_name }}|{{ prospect.last_name }}|{{ prospect.name }}|{{ prospect.email }}|\
{{ prospect.title }}|{{ prospect.phone }}|{{ prospect.linkedin_url }}|{{ prospect.city }}|\
{{ prospect.country }}|{{ prospect.timezone }}|{{ prospect.language }}|{{ prospect.fields.pain }}|\
{{ prospect.fields['pet project'] }}|{{ company.name }}|{{ company.domain }}|{{ company.industry }}|\
{{ company.size }}|{{ company.country }}|{{ sender.name }}|{{ sender.email }}|{{ sender.title }}|\
{{ sender.signature }}|{{ persona.key }}|{{ persona.name }}|{{ unsubscribe_url }}"""


def make_context(**prospect_overrides):
    prospect = {
        "first_name": "Šarūnas", "last_name": "Žukauskas", "email": "sarunas@example.lt", "title": "CFO",
        "phone": "+37060000000", "linkedin_url": "https://linkedin.com/in/sz", "city": "Vilnius",
        "country": "LT", "timezone": "Europe/Vilnius", "language": "lt",
        "fields": {"pain": "month-end close", "pet project": "ERP"},
    }
    prospect.update(prospect_overrides)
    company = SimpleNamespace(name="Ąžuolas UAB", domain="azuolas.lt", industry="Finance", size="51-200",
                              country="LT")
    sender = SimpleNamespace(name="Jürgen Müller", email="jurgen@seller.de", title="AE",
                             signature="Jürgen Müller\nAccount Executive")
    persona = SimpleNamespace(key="cfo", name="Chief Financial Officer")
    return build_context(prospect, company, sender, persona, "https://app.example/u/tok")


def problems(source, html=True):
    return validate_template(source, field="body", html=html)


def messages(source):
    return [p.message for p in problems(source)]
