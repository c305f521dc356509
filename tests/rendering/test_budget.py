"""The render budget counts printed bytes (not items) and is checked while rendering: memory stays bounded."""
from __future__ import annotations

import tracemalloc

import pytest
from jinja2 import TemplateError

from sequencer.rendering import RenderLimitExceeded, SecurityError, render
from tests.rendering.helpers import problems

A = "{% set a = 'a' * 100000 %}"
NESTED = A + ("{% set b = [a, a, a, a, a, a, a, a, a, a] %}{% set c = [b, b, b, b, b, b, b, b, b, b] %}"
              "{% set d = [c, c, c, c, c, c, c, c, c, c] %}{% set e = {'k': d} %}")
HOSTILE = [
    A + "{{ [a] * 5000 }}",
    A + "{{ [a] * 199999 }}",
    A + "{{ 5000 * [a] }}",
    A + "{{ [[a] * 2] * 3000 }}",
    A + "{{ ([a] * 2) + ([a] * 2) }}",
    A + "{{ (a, a, a) }}",
    A + "{{ [a, a] ~ '' }}",
    A + "{{ a ~ a ~ 'x' }}",
    A + "{{ [a, a, a]|join }}",
    A + "{{ [a, a, a]|join(', ') }}",
    A + "{{ ('é' * 100001) }}",  # 200,002 bytes in UTF-8
    NESTED + "{{ d }}",
    NESTED + "{{ d|join }}",
    NESTED + "{{ d|first }}",
    NESTED + "{{ e }}",
    NESTED + "{{ e.values() }}",
    NESTED + "{{ e.items()|join }}",
    NESTED + "{{ d|upper }}",
    NESTED + "{{ d|truncate(10) }}",
    NESTED + "{{ d|e }}",
    NESTED + "{{ d|replace('a', 'b') }}",
    NESTED + "{{ d|striptags }}",
    NESTED + "{{ d|wordcount }}",
    NESTED + "{% for x in d %}{{ x }}{% endfor %}",
    NESTED + "{% macro m(x) %}{{ x }}{% endmacro %}{{ m(d) }}",
    NESTED + "{% set s %}{{ b }}{% endset %}",
    NESTED + "{% for x in range(3) %}{{ loop.cycle(d, d) }}{% endfor %}",
]


@pytest.mark.parametrize("html", [True, False])
@pytest.mark.parametrize("src", HOSTILE)
def test_hostile_template_saves_but_is_refused_within_a_few_megabytes(src, html):
    assert problems(src) == []
    tracemalloc.start()
    try:
        with pytest.raises(RenderLimitExceeded) as info:
            render(src, {}, html=html)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 4_000_000, f"peak {peak} bytes"
    assert "exceed" in str(info.value)


def test_output_is_counted_in_bytes():
    assert render("{{ 'é' * 1000 }}", {}, html=False, max_output=2000) == "é" * 1000
    with pytest.raises(RenderLimitExceeded):
        render("{{ 'é' * 1001 }}", {}, html=False, max_output=2000)
    with pytest.raises(RenderLimitExceeded):  # many small pieces: the running count stops it
        render("{% for i in range(2000) %}é{% endfor %}", {}, html=False, max_output=2000)


def test_ordinary_lists_and_joins_still_render():
    assert render("{{ ['a', 'b']|join(', ') }}", {}, html=False) == "a, b"
    assert render("{{ [1, 2] * 2 }}", {}, html=False) == "[1, 2, 1, 2]"
    assert render("{{ 'ab' * 3 ~ 'c' }}", {}, html=False) == "abababc"
    src = "{{ prospect.fields.notes|truncate(20) }}"  # a long value (within the budget) may still be trimmed
    ctx = {"prospect": {"fields": {"notes": "word " * 30_000}}}
    assert render(src, ctx, html=False) == "word word word..."


@pytest.mark.parametrize("src", ["{{ '{}'.format(1) }}", "{{ 'a'|format(1) }}", "{{ '%s' % 1 }}",
                                 "{{ ''.__class__.__mro__ }}", "{{ range.__globals__ }}", "{{ ''|attr('upper') }}"])
def test_known_escapes_stay_refused(src):
    assert problems(src)
    with pytest.raises((SecurityError, TemplateError)):
        render(src, {}, html=False)
