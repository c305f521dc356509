"""Issue 23 defect 1: the signature is added once, whatever the template ends with."""
from __future__ import annotations

from sequencer.rendering import build_context, render_email
from sequencer.rendering.placeholders import placeholders
from sequencer.sequences.email_library import get

SIGNATURE = "Rita Rep\nSDR, Kvitas\nkvitas-demo.com"


def _context():
    return build_context({"first_name": "Ona", "last_name": "K", "email": "ona@x.example"},
                         {"name": "Baltic Freight"}, {"name": "Rita Rep", "title": "SDR", "signature": SIGNATURE},
                         None, "https://x.example/u/1")


def test_a_library_template_ending_with_the_senders_name_is_signed_once():
    template = get("cfo/intro")
    assert template is not None and template.body.rstrip().endswith("{{ sender.name }}")
    rendered = render_email(template.subject, template.body, _context(), signature=SIGNATURE, footer_text="")
    assert rendered.body_text.count("Rita Rep") == 1, rendered.body_text
    assert "Best regards," in rendered.body_text and "kvitas-demo.com" in rendered.body_text


def test_a_body_signed_with_name_and_title_keeps_one_full_signature():
    body = "Hi {{ prospect.first_name }},\n\nWorth a call?\n\n{{ sender.name }}\n{{ sender.title }}, Kvitas"
    rendered = render_email("Hi", body, _context(), signature=SIGNATURE, footer_text="")
    assert rendered.body_text.count("Rita Rep") == 1 and rendered.body_text.count("SDR, Kvitas") == 1
    assert rendered.body_text.rstrip().endswith("kvitas-demo.com")


def test_an_unsigned_body_gets_the_signature():
    rendered = render_email("Hi", "Hi {{ prospect.first_name }},\n\nWorth a call?", _context(), signature=SIGNATURE,
                            footer_text="")
    assert rendered.body_text.count("Rita Rep") == 1 and "Worth a call?" in rendered.body_text


def test_placeholders_are_the_bracketed_library_prompts_not_links():
    text = "Hi,\n[One line about something specific: a post.]\nSee [our site](https://x.example) [x]"
    assert placeholders(text) == ["[One line about something specific: a post.]"]
