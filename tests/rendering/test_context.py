"""What templates see (plain dicts built from the prospect, company, sender, persona) and what renders."""
from __future__ import annotations

from types import SimpleNamespace

import pytest

from sequencer.rendering import SCHEMA, build_context, render, template_variables, variable_paths
from tests.rendering.helpers import ALL_VARIABLES, make_context, problems


def test_schema_lists_documented_variables():
    assert set(SCHEMA) == {"prospect", "company", "sender", "persona", "unsubscribe_url"}
    paths = variable_paths()
    assert "prospect.first_name" in paths and "prospect.fields.*" in paths and "unsubscribe_url" in paths


def test_build_context_returns_plain_dicts_and_drops_blanks():
    orm_like = SimpleNamespace(first_name="Ann", last_name="", email="ann@x.io", title=None, phone=None,
                               linkedin_url=None, city=None, country=None, timezone=None, language=None,
                               fields={"n": 3, "nested": {"a": [1, object()]}, "blank": ""},
                               company=SimpleNamespace(name="secret"), name="ann@x.io")
    ctx = build_context(orm_like, None, {"name": "S", "email": "s@x", "title": None, "signature": None},
                        None, "https://u/1")
    assert ctx["prospect"]["name"] == "Ann"  # not the model's email fallback
    assert "company" not in ctx["prospect"] and "title" not in ctx["prospect"]
    assert ctx["prospect"]["fields"]["nested"]["a"][1].startswith("<object")  # stringified
    assert "blank" not in ctx["prospect"]["fields"]
    assert ctx["company"] == {} and ctx["persona"] == {}
    assert ctx["sender"] == {"name": "S", "email": "s@x"}

    def plain(value):
        if isinstance(value, dict):
            return all(isinstance(k, str) and plain(v) for k, v in value.items())
        if isinstance(value, list):
            return all(plain(v) for v in value)
        return value is None or isinstance(value, (str, int, float, bool))
    assert plain(ctx)


def test_build_context_with_sqlalchemy_models():
    from sequencer.models.crm import Company, Persona, Prospect
    from sequencer.models.users import User
    prospect = Prospect(email="j@m.de", first_name="Jürgen", last_name="Müller", fields={"x": "y"})
    prospect.company = Company(name="Müller GmbH", domain="mueller.de")
    ctx = build_context(prospect, prospect.company, User(email="s@x.io", name="Sam"),
                        Persona(key="cto", name="CTO"), "https://u/2")
    assert render("{{ prospect.name }} / {{ company.name }} / {{ persona.name }} / {{ prospect.fields.x }}",
                  ctx, html=True) == "Jürgen Müller / Müller GmbH / CTO / y"
    assert all(type(ctx[k]) is dict for k in ("prospect", "company", "sender", "persona"))


def test_render_refuses_non_dict_objects():
    with pytest.raises(TypeError):
        render("{{ prospect.first_name }}", {"prospect": SimpleNamespace(first_name="x")}, html=False)


def test_all_schema_variables_render_lithuanian():
    assert problems(ALL_VARIABLES) == []
    out = render(ALL_VARIABLES, make_context(), html=False).split("|")
    assert out[:3] == ["Šarūnas", "Žukauskas", "Šarūnas Žukauskas"]
    assert out[11:14] == ["month-end close", "ERP", "Ąžuolas UAB"]
    assert out[18] == "Jürgen Müller" and out[-2:] == ["Chief Financial Officer", "https://app.example/u/tok"]


def test_german_name_and_filters():
    ctx = make_context(first_name="Jürgen", last_name="Müller")
    src = ("{{ prospect.first_name|upper }} {{ prospect.name|lower }} {{ prospect.last_name|length }} "
           "{{ prospect.first_name[0] }}. {{ company.name|replace('UAB', 'GmbH') }} "
           "{{ ['a', 'b']|join('-') }} {{ prospect.fields.missing|default('n/a') }}")
    assert problems(src) == []
    assert render(src, ctx, html=True) == "JÜRGEN jürgen müller 6 J. Ąžuolas GmbH a-b n/a"


def test_loops_sets_macros_and_conditionals():
    src = """{% set greeting = "Hello" %}
{% macro shout(text) %}{{ text|upper }}!{% endmacro %}
{% for key, value in prospect.fields.items() %}{{ loop.index }}:{{ key }}={{ value }};{% endfor %}
{% if prospect.title %}{{ greeting }} {{ shout(prospect.title) }}{% else %}no title{% endif %}
{% for i in range(3) %}{{ i }}{% endfor %}"""
    assert problems(src) == []
    out = render(src, make_context(), html=False)
    assert "1:pain=month-end close;2:pet project=ERP;" in out
    assert "Hello CFO!" in out and out.endswith("012")
    assert "no title" in render(src, make_context(title=None), html=False)


def test_template_variables():
    assert template_variables("{{ prospect.first_name }} {{ prospect.fields.x }} {{ unsubscribe_url }}") == {
        "prospect.first_name", "prospect.fields.x", "unsubscribe_url"}
