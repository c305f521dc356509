"""Template validation: syntax errors, unknown names and attributes, forbidden filters and tags, with lines."""
from __future__ import annotations

import pytest

from sequencer.rendering import TemplateProblem
from tests.rendering.helpers import messages, problems


def test_syntax_error_line_one():
    [p] = problems("Hi {{ prospect.first_name ")
    assert p == TemplateProblem("body", 1, p.message) and "syntax error" in p.message


def test_syntax_error_line_in_multiline_body():
    [p] = problems("Hi,\n\nthanks\n{% if x %}\nno end")
    assert p.line in (4, 5) and "syntax error" in p.message
    [p] = problems("line 1\nline 2\n{{ prospect.first_name }\n")
    assert p.line == 3


def test_unknown_attribute_reports_line_and_name():
    [p] = problems("Hi,\n\nDear {{ prospect.frist_name }},\n")
    assert p.line == 3 and p.field == "body"
    assert "prospect.frist_name" in p.message and "prospect.first_name" in p.message  # suggestion


def test_unknown_variable_reported():
    [p] = problems("{{ unknown_var }}")
    assert "unknown_var" in p.message


@pytest.mark.parametrize("src", ["{{ company.ceo }}", "{{ sender.password_hash }}", "{{ persona.description }}",
                                 "{{ prospect.owner }}", "{{ prospect.company.name }}",
                                 "{{ prospect.first_name.foo }}", "{{ unsubscribe_url.x }}"])
def test_attributes_outside_schema_reported(src):
    assert problems(src), src


def test_custom_fields_and_bound_names_are_fine():
    src = ("{{ prospect.fields.anything }} {{ prospect.fields['with space'] }} {{ prospect.fields.a.b }}"
           "{% for x in prospect.fields.list %}{{ x }}{{ loop.index }}{% endfor %}"
           "{% set y = 2 %}{{ y }}{% with z = 1 %}{{ z }}{% endwith %}")
    assert problems(src) == []


def test_names_out_of_scope_reported():
    assert messages("{% for x in range(2) %}{% endfor %}{{ x }}") == ["unknown variable 'x'"]
    assert messages("{{ loop.index }}") == ["unknown variable 'loop'"]


@pytest.mark.parametrize("src", ["{{ prospect.first_name|format }}", "{{ 'x'|center(99) }}",
                                 "{{ prospect.first_name|safe }}", "{{ [1]|map('upper')|list }}",
                                 "{{ prospect|tojson }}", "{% filter safe %}x{% endfilter %}",
                                 "{{ prospect.first_name|attr('x') }}"])
def test_filters_not_allowed_reported(src):
    assert any("filter" in m and "not allowed" in m for m in messages(src)), src


def test_tests_not_allowed_reported():
    assert any("test 'callable'" in m for m in messages("{% if prospect is callable %}x{% endif %}"))
    assert messages("{% if prospect.title is defined %}x{% endif %}") == []


@pytest.mark.parametrize("src", ["{% set prospect = 1 %}", "{% set company %}x{% endset %}",
                                 "{% macro sender() %}{% endmacro %}",
                                 "{% macro m(persona) %}{% endmacro %}",
                                 "{% macro m() %}{% endmacro %}{% call(unsubscribe_url) m() %}{% endcall %}",
                                 "{% for prospect in range(2) %}{% endfor %}", "{% set range = 1 %}"])
def test_shadowing_schema_names_reported(src):
    assert any("must not redefine" in m for m in messages(src)), src


@pytest.mark.parametrize("src", ["{% include 'x' %}", "{% import 'x' as y %}", "{% from 'x' import y %}",
                                 "{% extends 'base.html' %}", "{% autoescape false %}x{% endautoescape %}"])
def test_loading_and_autoescape_tags_reported(src):
    [p] = problems(src)
    assert "not allowed" in p.message


def test_problem_lines_from_ast():
    src = "a\n{{ x }}\nb\n{{ prospect.first_name|pprint }}\n{% include 'y' %}"
    assert [(p.line) for p in problems(src)] == [2, 4, 5]
