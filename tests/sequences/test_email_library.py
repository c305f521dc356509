"""Every starter template validates against the variable schema and renders for a real-looking prospect."""
from types import SimpleNamespace

import pytest

from sequencer.rendering import build_context, render_email, validate_template
from sequencer.sequences import email_library


def test_the_library_has_three_emails_for_three_personas():
    keys = [t.key for t in email_library.list_templates()]
    assert len(keys) == 9 and "cfo/intro" in keys and "head_of_sales/breakup" in keys
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
