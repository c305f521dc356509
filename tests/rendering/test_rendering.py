"""Email template rendering: validation, sandbox, bounded rendering, missing data, emails."""
from __future__ import annotations

import time
import timeit
from types import SimpleNamespace

import pytest
from jinja2 import TemplateError, UndefinedError
from jinja2.sandbox import SecurityError

from sequencer.rendering import (
    SCHEMA,
    RenderedEmail,
    RenderLimitExceeded,
    TemplateInvalid,
    TemplateProblem,
    build_context,
    missing_variables,
    render,
    render_email,
    template_variables,
    validate_template,
    variable_paths,
)
from sequencer.rendering.render import _ENVS
from sequencer.rendering.undefined import probe

ALL_VARIABLES = """\
{{ prospect.first_name }}|{{ prospect.last_name }}|{{ prospect.name }}|{{ prospect.email }}|\
{{ prospect.title }}|{{ prospect.phone }}|{{ prospect.linkedin_url }}|{{ prospect.city }}|\
{{ prospect.country }}|{{ prospect.timezone }}|{{ prospect.language }}|{{ prospect.fields.pain }}|\
{{ prospect.fields['pet project'] }}|{{ company.name }}|{{ company.domain }}|{{ company.industry }}|\
{{ company.size }}|{{ company.country }}|{{ sender.name }}|{{ sender.email }}|{{ sender.title }}|\
{{ sender.signature }}|{{ persona.key }}|{{ persona.name }}|{{ unsubscribe_url }}"""


def make_context(**prospect_overrides):
    prospect = dict(
        first_name="Šarūnas", last_name="Žukauskas", email="sarunas@example.lt", title="CFO",
        phone="+37060000000", linkedin_url="https://linkedin.com/in/sz", city="Vilnius",
        country="LT", timezone="Europe/Vilnius", language="lt",
        fields={"pain": "month-end close", "pet project": "ERP"},
    )
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


# -- schema and context ------------------------------------------------------------------------

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


# -- valid templates -----------------------------------------------------------------------------

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


# -- validation ---------------------------------------------------------------------------------

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


# -- security ------------------------------------------------------------------------------------

ATTACKS = [
    "{{ ''.__class__.__mro__ }}",
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ config }}",
    "{{ config.items() }}",
    "{{ cycler.__init__.__globals__ }}",
    "{{ lipsum.__globals__ }}",
    "{{ joiner }}",
    "{{ self }}",
    "{{ self.__init__ }}",
    "{{ request }}",
    "{{ request.environ }}",
    "{{ prospect.__class__ }}",
    "{{ prospect['__class__'] }}",
    "{{ '{0.__class__}'.format(prospect) }}",
    "{{ '{0:999999999}'.format('x') }}",
    "{{ ''.format_map(prospect) }}",
    "{{ prospect.first_name.ljust(999999999) }}",
    "{% include '/etc/passwd' %}",
    "{% import '/etc/passwd' as p %}",
    "{% extends '/etc/passwd' %}",
    "{{ namespace }}",
    "{{ namespace() }}",
    "{{ range.__globals__ }}",
    "{{ range.__call__ }}",
    "{{ dict(a=1) }}",
    "{{ loop }}",
    "{{ prospect.fields.__class__ }}",
    "{{ prospect|attr('__class__') }}",
    "{{ '%999999999s' % 'x' }}",
    "{{ prospect.first_name|safe }}",
]


@pytest.mark.parametrize("src", ATTACKS)
def test_attack_is_refused_by_validation_and_render(src):
    assert problems(src), f"validation accepted {src!r}"
    with pytest.raises(TemplateInvalid):
        render(src, make_context(), html=True)


RUNTIME_ATTACKS = [
    "{{ ''.__class__.__mro__ }}",
    "{{ config }}",
    "{{ cycler.__init__.__globals__ }}",
    "{{ lipsum.__globals__ }}",
    "{{ request }}",
    "{{ prospect.__class__ }}",
    "{{ '{0.__class__}'.format(prospect) }}",
    "{{ '{0:999999999}'.format('x') }}",
    "{{ prospect.first_name.ljust(999999999) }}",
    "{{ prospect.first_name.upper() }}",
    "{% include '/etc/passwd' %}",
    "{{ namespace }}",
    "{{ range.__globals__ }}",
    "{{ '%999999999s' % 'x' }}",
    "{{ prospect.items.__self__.__class__ }}",
]


@pytest.mark.parametrize("src", RUNTIME_ATTACKS)
@pytest.mark.parametrize("kind", ["html", "text", "html-probe"])
def test_sandbox_alone_fails_safely(src, kind):
    """Second line of defence: the environments refuse even without validation."""
    ctx = make_context()
    try:
        template = _ENVS[kind.removesuffix("-probe")].from_string(src)
        if kind.endswith("-probe"):
            with probe({}):
                out = template.render(ctx)
        else:
            out = template.render(ctx)
    except (TemplateError, TypeError):  # SecurityError/UndefinedError/no loader
        return
    assert "class" not in out and "globals" not in out and "passwd" not in out and len(out) < 100


def test_percent_formatting_refused_at_runtime():
    src = "{% set f = '%999999999s' %}{{ f % 'x' }}"
    assert problems(src) == []
    with pytest.raises(SecurityError):
        render(src, {}, html=False)


def test_self_renders_nothing_useful_at_runtime():
    with pytest.raises(TemplateError):
        _ENVS["html"].from_string("{{ self.__init__.__globals__ }}").render()


def test_prospect_value_escaped_in_html():
    ctx = make_context(first_name="<script>alert(1)</script>")
    email = render_email("Hi {{ prospect.first_name }}", "<p>Hi {{ prospect.first_name }}</p>", ctx,
                         signature=None, footer_text="Acme")
    assert "<script>" not in email.body_html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in email.body_html
    assert email.subject == "Hi <script>alert(1)</script>"  # subject is text: no HTML escaping
    plain = render_email("s", "Hi {{ prospect.first_name }}", ctx, signature=None, footer_text="Acme")
    assert "<script>" not in plain.body_html


# -- bounded rendering ---------------------------------------------------------------------------

def _timed(fn):
    start = time.monotonic()
    with pytest.raises(TemplateError) as info:
        fn()
    return time.monotonic() - start, info.value


def test_nested_huge_ranges_stop_fast():
    src = "{% for i in range(99999) %}{% for j in range(99999) %}{% endfor %}{% endfor %}"
    elapsed, exc = _timed(lambda: render(src, {}, html=True))
    assert isinstance(exc, RenderLimitExceeded) and elapsed < 1


def test_nested_silent_loops_stop_at_deadline():
    src = "{% for i in range(10000) %}{% for j in range(10000) %}{% endfor %}{% endfor %}"
    elapsed, exc = _timed(lambda: render(src, {}, html=True, time_limit=0.1))
    assert isinstance(exc, RenderLimitExceeded) and "too long" in str(exc) and elapsed < 1


def test_silent_loops_over_strings_stop_at_deadline():
    src = "{% set s = 'x' * 100000 %}{% for a in s %}{% for b in s %}{% endfor %}{% endfor %}"
    elapsed, exc = _timed(lambda: render(src, {}, html=False, time_limit=0.1))
    assert isinstance(exc, RenderLimitExceeded) and elapsed < 1


@pytest.mark.parametrize("src", ["{{ 'x' * 999999999 }}", "{{ 999999999 * 'x' }}", "{{ [1] * 999999999 }}",
                                 "{{ 10**(10**10) }}", "{{ 2 ** 99999999 }}", "{{ (10**1000) * (10**1000) }}",
                                 "{% set a = 'x' * 150000 %}{{ a + a }}",
                                 "{% set a = 'x' * 150000 %}{{ a ~ a }}",
                                 "{% set a = 'x' * 100000 %}{{ a|replace('x', 'xxxxxxxxxx') }}",
                                 "{% set a = 'x' * 1000 %}{{ range(10000)|join(a) }}",
                                 "{% set a = 'x' * 100000 %}{% set b %}{{ a }}{{ a }}{{ a }}{% endset %}"])
def test_amplification_refused_before_allocating(src):
    assert problems(src) == []
    elapsed, exc = _timed(lambda: render(src, {}, html=False))
    assert isinstance(exc, RenderLimitExceeded) and elapsed < 0.5


def test_power_chain_is_left_associative_and_bounded():
    # Jinja parses 10**10**10 as (10**10)**10: a 101-digit number, computed at once.
    assert render("{{ 10**10**10 }}", {}, html=False) == "1" + "0" * 100
    with pytest.raises(RenderLimitExceeded):
        render("{{ 10**10**10**10**10 }}", {}, html=False)


def test_macro_buffer_bomb_refused():
    src = ("{% set a = 'x' * 100000 %}{% macro m() %}{% for i in range(10000) %}{{ a }}{% endfor %}"
           "{% endmacro %}{% set b = m() %}")
    elapsed, exc = _timed(lambda: render(src, {}, html=False))
    assert isinstance(exc, RenderLimitExceeded) and elapsed < 1


def test_output_size_limit():
    src = "{% for i in range(10000) %}{% for j in range(10000) %}0123456789{% endfor %}{% endfor %}"
    elapsed, exc = _timed(lambda: render(src, {}, html=True, time_limit=5))
    assert isinstance(exc, RenderLimitExceeded) and "exceeds 200000" in str(exc) and elapsed < 1
    with pytest.raises(RenderLimitExceeded):
        render("{% for i in range(100) %}xx{% endfor %}", {}, html=True, max_output=150)
    assert len(render("{% for i in range(100) %}xx{% endfor %}", {}, html=True, max_output=200)) == 200


def test_recursive_macro_fails_cleanly():
    with pytest.raises(TemplateError):
        render("{% macro m() %}{{ m() }}{% endmacro %}{{ m() }}", {}, html=False)


def test_small_arithmetic_still_works():
    assert render("{{ 2 ** 10 }} {{ 'ab' * 3 }} {{ 7 % 3 }} {{ 'a' + 'b' }} {{ (3.7)|round }}", {},
                  html=False) == "1024 ababab 1 ab 4.0"


# -- missing data --------------------------------------------------------------------------------

def test_render_raises_on_missing_value():
    with pytest.raises(UndefinedError):
        render("Hi {{ prospect.first_name }},", make_context(first_name=""), html=False)
    with pytest.raises(UndefinedError):
        render("Hi {{ prospect.first_name }},", make_context(first_name=None), html=False)


@pytest.mark.parametrize("value", ["", None, "   "])
def test_missing_variables_blank_counts_as_missing(value):
    ctx = make_context(first_name=value)
    assert missing_variables("Hi {{ prospect.first_name }},", ctx) == ["prospect.first_name"]
    assert missing_variables("Hi {{ prospect.first_name|default('there') }},", ctx) == []
    assert missing_variables("Hi {{ prospect.first_name|d('there')|upper }},", ctx) == []


def test_missing_variables_various():
    ctx = make_context(title=None)
    ctx["company"] = {}
    src = ("{{ company.name }} {% if prospect.title %}{{ prospect.title }}{% endif %} "
           "{{ prospect.fields.budget }} {{ prospect.first_name }} {{ company.size|upper }}")
    assert missing_variables(src, ctx) == ["company.name", "prospect.fields.budget", "company.size"]
    assert missing_variables("{{ prospect.first_name }}", make_context()) == []
    assert missing_variables("{{ prospect.fields.a.b }} {{ prospect.fields['zz'] }}", make_context()) == [
        "prospect.fields.a.b", "prospect.fields.zz"]


def test_render_email_reports_missing_instead_of_hi_comma():
    ctx = make_context(first_name="")
    email = render_email("Quick question, {{ prospect.first_name }}", "Hi {{ prospect.first_name }},\n\nText",
                         ctx, signature=None, footer_text="Acme")
    assert email.missing == ["prospect.first_name"]
    ok = render_email("Hi", "Hi {{ prospect.first_name|default('there') }},", ctx, signature=None,
                      footer_text="Acme")
    assert ok.missing == [] and "Hi there," in ok.body_html


# -- render_email ----------------------------------------------------------------------------------

FOOTER = "Ąžuolas UAB, Gedimino pr. 1, Vilnius\nUnsubscribe: https://app.example/u/tok"


def test_render_email_plain_text_body():
    body = "Hi {{ prospect.first_name }},\n\nWe help {{ company.name }} & co < 5 days.\nSecond line.\n\nBye"
    email = render_email("Re: {{ company.name }}\r\nBcc: evil@x.io", body, make_context(),
                         signature="Jürgen Müller\nAE", footer_text=FOOTER)
    assert isinstance(email, RenderedEmail)
    assert email.subject == "Re: Ąžuolas UAB Bcc: evil@x.io"
    assert "\n" not in email.subject and "\r" not in email.subject
    assert "<p>Hi Šarūnas,</p>" in email.body_html
    assert "<p>We help Ąžuolas UAB &amp; co &lt; 5 days.<br>\nSecond line.</p>" in email.body_html
    assert "<p>Bye</p>" in email.body_html
    assert '<div class="signature"><p>Jürgen Müller<br>\nAE</p></div>' in email.body_html
    assert '<a href="https://app.example/u/tok">' in email.body_html
    text = email.body_text
    assert "Hi Šarūnas," in text and "We help Ąžuolas UAB & co < 5 days.\nSecond line." in text
    assert "Jürgen Müller\nAE" in text and "Gedimino pr. 1" in text and "https://app.example/u/tok" in text
    assert "<p>" not in text and "  \n" not in text


def test_render_email_html_body_kept():
    body = "<p>Hi <b>{{ prospect.first_name }}</b></p><ul><li>{{ company.name }}</li></ul>"
    email = render_email("Hi", body, make_context(first_name="Jürgen"), signature="<b>J</b>",
                         footer_text=FOOTER)
    assert email.body_html.startswith("<p>Hi <b>Jürgen</b></p><ul><li>Ąžuolas UAB</li></ul>")
    assert '<div class="signature"><b>J</b></div>' in email.body_html
    assert "Hi Jürgen" in email.body_text and "* Ąžuolas UAB" in email.body_text


def test_signature_not_duplicated_when_template_uses_it():
    email = render_email("s", "Hi\n\n{{ sender.signature }}", make_context(),
                         signature="Jürgen Müller\nAccount Executive", footer_text="")
    assert email.body_html.count("Account Executive") == 1


def test_invalid_template_refused_by_render_email():
    with pytest.raises(TemplateInvalid) as info:
        render_email("{{ prospect.frist_name }}", "ok", make_context(), signature=None, footer_text="x")
    assert info.value.problems[0].line == 1


# -- speed -----------------------------------------------------------------------------------------

def test_render_is_fast():
    ctx = make_context()
    subject = "{{ prospect.first_name }}, a question about {{ company.name }}"
    body = ("Hi {{ prospect.first_name|default('there') }},\n\nTeams like {{ company.name }} "
            "in {{ company.industry|lower }} use us for {{ prospect.fields.pain }}.\n\n"
            "{% if persona.key == 'cfo' %}CFOs love it.{% endif %}\n\n{{ sender.name }}")
    def pair():
        render(subject, ctx, html=False)
        render(body, ctx, html=True)

    pair()
    best = min(timeit.repeat(pair, number=500, repeat=5)) / 500
    renders_per_second = 2 / best
    print(f"{renders_per_second:,.0f} renders/s ({1 / best:,.0f} subject+body pairs/s)")
    assert renders_per_second > 10_000
