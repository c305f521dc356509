"""Lithuanian first names in the vocative case, alone and as the sandboxed templates' `vocative` filter."""
from types import SimpleNamespace

import pytest

from sequencer.rendering import build_context, render_email, validate_template, variable_paths
from sequencer.rendering.vocative import vocative

NAMES = [
    ("Šarūnas", "Šarūnai"), ("Tomas", "Tomai"), ("Mindaugas", "Mindaugai"), ("Vytautas", "Vytautai"),
    ("Andrius", "Andriau"), ("Paulius", "Pauliau"), ("Kęstutis", "Kęstuti"), ("Gytis", "Gyti"),
    ("Jurgis", "Jurgi"), ("Kazys", "Kazy"), ("Gintarė", "Gintare"), ("Agnė", "Agne"), ("Rūta", "Rūta"),
    ("Dalia", "Dalia"), ("Jogaila", "Jogaila"), ("Mikus", "Mikau"), ("Motiejus", "Motiejau"),
    ("Ąžuolas", "Ąžuolai"), ("Jonas Paulius", "Jonai Pauliau"), ("Eglė Rūta", "Egle Rūta"),
    ("TOMAS", "TOMAI"), ("tomas", "tomai"), ("John", "John"), ("Anna-Maria", "Anna-Maria"),
    ("Max", "Max"), ("Xavier", "Xavier"), ("Wiktoria", "Wiktoria"), ("Zoë", "Zoë"), ("Björn", "Björn"),
    ("", ""), ("  ", "  "), ("As", "As"), ("Ieva", "Ieva"), ("Emilis", "Emili"), ("Matas", "Matai"),
]


@pytest.mark.parametrize(("name", "expected"), NAMES)
def test_vocative(name, expected):
    assert vocative(name) == expected


def test_vocative_leaves_what_is_not_a_name_alone():
    assert vocative(None) is None and vocative(5) == 5


def _context(first_name):
    prospect = {"first_name": first_name, "last_name": "Kazlauskas", "name": f"{first_name} Kazlauskas",
                "email": "x@example.lt", "title": None, "phone": None, "linkedin_url": None, "city": None,
                "country": "LT", "timezone": None, "language": "lt", "fields": {}}
    company = SimpleNamespace(name="UAB Žalgiris", domain=None, industry=None, size=None, country="LT")
    sender = SimpleNamespace(name="Rūta", email="ruta@example.lt", title=None, signature=None)
    return build_context(SimpleNamespace(**prospect), company, sender, None, "https://x.test/u/1")


def test_the_filter_is_allowed_in_templates_and_inflects():
    source = "Laba diena, {{ prospect.first_name | vocative }},"
    assert validate_template(source, field="body", html=True) == []
    rendered = render_email("Sveiki", source, _context("Mindaugas"), signature=None, footer_text="")
    assert "Laba diena, Mindaugai," in rendered.body_text


def test_the_filter_chains_after_default_for_a_missing_name():
    source = '{{ prospect.first_name | default("Kolega") | vocative }}'
    rendered = render_email("Sveiki", source, _context(None), signature=None, footer_text="")
    assert "Kolega" in rendered.body_text


def test_the_builders_variables_panel_offers_the_filter():
    paths = variable_paths()
    assert paths[paths.index("prospect.first_name") + 1] == "prospect.first_name | vocative"
