"""A text-bodied email's text part comes straight from its sources (issue 22: html2text was a fifth of a send's
CPU); an HTML-bodied one still goes through html2text."""
from __future__ import annotations

import pytest

from sequencer.rendering import build_context, email as email_module, render_email

BODY = ("Hi {{ prospect.first_name }},\r\n\r\n\r\n\r\nTour: https://x.example/t?a=1&b=2   \n"
        "1. costs < 5 & more\n\nBest,\n{{ sender.name }}")
FOOTER = "Street 1, Vilnius\n\nDon't want to hear from us? Unsubscribe: https://u.example/u/1"


def _context():
    return build_context({"first_name": "Ona", "last_name": "K", "email": "ona@x.example"}, {"name": "Acme"},
                         {"name": "Rūta Rep", "title": "AE", "signature": "Rūta Rep\nAE, Kvitas"}, None,
                         "https://u.example/u/1")


def test_a_text_body_becomes_its_text_part_without_markdown_or_escapes(monkeypatch):
    def no_html2text(html):
        raise AssertionError("a text body must not round-trip through html2text")

    monkeypatch.setattr(email_module, "html_to_text", no_html2text)
    rendered = render_email("Hi", BODY, _context(), signature="Rūta Rep\nAE, Kvitas", footer_text=FOOTER)
    assert rendered.body_text == ("Hi Ona,\n\nTour: https://x.example/t?a=1&b=2\n1. costs < 5 & more\n\n"
                                  "Best,\n\nRūta Rep\nAE, Kvitas\n\nStreet 1, Vilnius\n\n"
                                  "Don't want to hear from us? Unsubscribe: https://u.example/u/1\n")
    assert "&lt; 5 &amp; more" in rendered.body_html  # the HTML part is still escaped


def test_an_html_signature_is_converted_once_and_reused():
    email_module._signature_text.cache_clear()
    for _ in range(3):
        rendered = render_email("Hi", "Hello", _context(), signature="<b>Rūta</b><br>Kvitas", footer_text="")
        assert rendered.body_text == "Hello\n\nRūta\nKvitas\n"
    assert email_module._signature_text.cache_info().misses == 1


def test_without_signature_or_footer_the_text_part_is_the_body():
    rendered = render_email("Hi", "Hello {{ prospect.first_name }}", _context(), signature=None, footer_text=" ")
    assert rendered.body_text == "Hello Ona\n"


@pytest.mark.parametrize("body", ["<p>Hi {{ prospect.first_name }}</p><ul><li>one</li></ul>"])
def test_an_html_body_still_goes_through_html2text(body):
    rendered = render_email("Hi", body, _context(), signature=None, footer_text="")
    assert rendered.body_text == "Hi Ona\n\n  * one\n"
