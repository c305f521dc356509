"""Every starter template validates against the variable schema and renders for a real-looking prospect."""
import re
from types import SimpleNamespace

import pytest

from sequencer.platform.i18n import localized
from sequencer.rendering import build_context, render_email, validate_template
from sequencer.sequences import email_library


def test_the_library_has_three_emails_for_three_personas_in_each_language():
    keys = [t.key for t in email_library.list_templates()]
    assert len(keys) == 18 and "cfo/intro" in keys and "head_of_sales/breakup" in keys
    assert {t.language for t in email_library.list_templates()} == {"en", "lt"}
    assert {(t.persona, t.kind) for t in email_library.list_templates() if t.language == "lt"} == \
        {(t.persona, t.kind) for t in email_library.list_templates() if t.language == "en"}
    assert email_library.get("../../etc/passwd") is None and email_library.get("cfo/intro.txt") is None


@pytest.mark.parametrize("template", email_library.list_templates(), ids=lambda t: t.key)
def test_template_validates_and_renders(template):
    assert template.body.strip()
    for field, source in (("subject", template.subject), ("body", template.body)):
        assert validate_template(source, field=field, html=field == "body") == []
    assert bool(template.subject) == (template.kind != "followup")  # follow-ups reply in the thread
    prospect = SimpleNamespace(first_name="Rūta", last_name="Kazlauskienė", name="Rūta Kazlauskienė",
                               email="ruta@example.lt", title="CFO", phone=None, linkedin_url=None, city="Vilnius",
                               country="LT", timezone="Europe/Vilnius", language="lt", fields={"erp": "SAP"})
    company = SimpleNamespace(name="Žalgiris UAB", domain="zalgiris.lt", industry="Retail", size="200", country="LT")
    sender = SimpleNamespace(name="Jonas Petraitis", email="jonas@sequencer.test", title="AE", signature=None)
    context = build_context(prospect, company, sender, None, "https://sequencer.test/u/x")
    rendered = render_email(template.subject, template.body, context, signature=None, footer_text="Vilnius")
    assert "Rūta" in rendered.body_text and "Jonas Petraitis" in rendered.body_text
    assert "{{" not in rendered.body_text and "{{" not in rendered.subject
    if template.subject:
        assert rendered.subject.strip()


LT_TEMPLATES = [t for t in email_library.list_templates() if t.language == "lt"]


def _render_lt(template, first_name):
    prospect = SimpleNamespace(first_name=first_name, last_name="Kazlauskas", name="Kazlauskas",
                               email="tomas@example.lt", title="CFO", phone=None, linkedin_url=None, city="Vilnius",
                               country="LT", timezone="Europe/Vilnius", language="lt", fields={})
    company = SimpleNamespace(name="Žalgiris UAB", domain="zalgiris.lt", industry=None, size="200", country="LT")
    sender = SimpleNamespace(name="Rūta Petraitienė", email="ruta@sequencer.test", title=None, signature=None)
    context = build_context(prospect, company, sender, None, "https://sequencer.test/u/x")
    return render_email(template.subject, template.body, context, signature=None, footer_text="")


@pytest.mark.parametrize("template", LT_TEMPLATES, ids=lambda t: t.key)
def test_lithuanian_templates_greet_in_the_vocative_and_say_jus_with_a_capital(template):
    assert template.key.endswith(".lt") and template.title.endswith("in Lithuanian")
    assert localized(template.title, "lt").endswith("lietuviškai")
    rendered = _render_lt(template, "Tomas")
    assert rendered.body_text.startswith("Laba diena, Tomai,") and not rendered.missing
    assert _render_lt(template, None).body_text.startswith("Laba diena,\n")
    text = template.subject + template.body
    assert not re.search(r"\bjū(s|sų|ms|mis)\b", text), "formal Jūs/Jūsų is capitalised in letters"
    assert not re.search(r"\b(Hi|the|your|and|you)\b", text)


def test_in_language_picks_the_prospects_version_where_there_is_one():
    assert email_library.in_language("cfo/intro", "lt").key == "cfo/intro.lt"
    assert email_library.in_language("cfo/intro.lt", "en").key == "cfo/intro"
    assert email_library.in_language("cto/breakup", "de").key == "cto/breakup"
    assert email_library.in_language("nope/intro", "lt") is None
