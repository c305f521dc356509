"""Bounded rendering: loops, amplification and output size stop fast; ordinary rendering stays fast."""
from __future__ import annotations

import time
import timeit

import pytest
from jinja2 import TemplateError

from sequencer.rendering import RenderLimitExceeded, render
from tests.rendering.helpers import make_context, problems


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
    assert isinstance(exc, RenderLimitExceeded) and "exceed 200000 bytes" in str(exc) and elapsed < 1
    with pytest.raises(RenderLimitExceeded):
        render("{% for i in range(100) %}xx{% endfor %}", {}, html=True, max_output=150)
    assert len(render("{% for i in range(100) %}xx{% endfor %}", {}, html=True, max_output=200)) == 200


def test_recursive_macro_fails_cleanly():
    with pytest.raises(TemplateError):
        render("{% macro m() %}{{ m() }}{% endmacro %}{{ m() }}", {}, html=False)


def test_small_arithmetic_still_works():
    assert render("{{ 2 ** 10 }} {{ 'ab' * 3 }} {{ 7 % 3 }} {{ 'a' + 'b' }} {{ (3.7)|round }}", {},
                  html=False) == "1024 ababab 1 ab 4.0"


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
