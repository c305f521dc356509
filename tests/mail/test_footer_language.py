"""The unsubscribe line under a sequence email speaks the prospect's language (manual emails use the same compose)."""


def _text(sink, index):
    return sink.handler.parsed()[index].get_body(("plain",)).get_content()


def test_a_lithuanian_prospect_gets_the_lithuanian_footer(sink, enrol, cycle):
    enrol(email="ona@grudu-baze-demo.com", first_name="Ona", language="lt")
    assert cycle()[1].sent == 1
    text = _text(sink, 0)
    assert "Nebenorite gauti mūsų laiškų? Atsisakykite: http://sequencer.test/u/" in text
    assert "Don't want to hear from us" not in text


def test_an_english_prospect_gets_the_english_footer(sink, enrol, cycle):
    enrol(email="john@acme-demo.com", first_name="John", language="en")
    assert cycle()[1].sent == 1
    text = _text(sink, 0)
    assert "Don't want to hear from us? Unsubscribe: http://sequencer.test/u/" in text
    assert "Nebenorite" not in text
