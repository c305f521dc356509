"""Hostile templates: refused by validation, and the sandbox alone still fails safely."""
from __future__ import annotations

import pytest
from jinja2 import TemplateError
from jinja2.sandbox import SecurityError

from sequencer.rendering import TemplateInvalid, render, render_email
from sequencer.rendering.render import _ENVS
from sequencer.rendering.undefined import probe
from tests.rendering.helpers import make_context, problems

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
