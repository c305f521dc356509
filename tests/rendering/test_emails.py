"""Missing data is reported instead of sent, and render_email's HTML, text, signature and footer."""
from __future__ import annotations

import pytest
from jinja2 import UndefinedError

from sequencer.rendering import RenderedEmail, TemplateInvalid, missing_variables, render, render_email
from tests.rendering.helpers import make_context


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
