"""The assembled wire message parses back to exactly what was composed (issue 22: MIME without `email.mime`'s
generator), whatever the text: any Unicode, long lines, lone dots, trailing blanks, header-breaking names."""
from __future__ import annotations

import email
from datetime import UTC, datetime
from email import policy
from email.header import decode_header, make_header

from hypothesis import given, settings, strategies as st

from sequencer.mail.compose import Composed
from sequencer.mail.mime import build_message

SENT = datetime(2026, 12, 7, 9, 30, tzinfo=UTC)
_text = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=400)
_name = st.text(st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")), max_size=60).map(lambda s: " ".join(s.split()))


def _composed(**kw) -> Composed:
    base = {"subject": "Hi", "body_html": "<p>Hi</p>", "body_text": "Hi\n", "missing": [],
            "message_id": "<sr1.ab@x.test>", "from_name": "Rūta", "from_email": "ruta@x.test", "to_name": "Ona",
            "to_email": "ona@y.test",
            "headers": {"List-Unsubscribe": "<mailto:ruta@x.test?subject=unsubscribe>, <https://x.test/u/1>",
                        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}}
    return Composed(**{**base, **kw})


def _parse(raw: bytes):
    return email.message_from_bytes(raw, policy=policy.default)


def _assert_address(raw: bytes, header: str, name: str, addr: str) -> None:
    """An ASCII name through the address parser (quoting); a non-ASCII one through RFC 2047 decoding, which joins
    adjacent encoded-words as the RFC says (the address parser puts a space between them)."""
    msg = _parse(raw)
    if name.isascii():
        assert (msg[header].addresses[0].display_name, msg[header].addresses[0].addr_spec) == (name, addr)
    else:
        value = email.message_from_bytes(raw, policy=policy.compat32)[header]
        assert str(make_header(decode_header(value))) == f"{name} <{addr}>"


def _lf(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


@settings(max_examples=150, deadline=None)
@given(subject=_name, from_name=_name, to_name=_name, body_text=_text, body_html=_text)
def test_any_text_round_trips_through_the_wire_form(subject, from_name, to_name, body_text, body_html):
    raw = build_message(_composed(subject=subject, from_name=from_name, to_name=to_name, body_text=body_text,
                                  body_html=body_html), SENT)
    lines = raw.split(b"\r\n")
    assert b"\n" not in b"".join(lines) and b"\r" not in b"".join(lines)  # CRLF only, never bare
    assert raw.isascii() and max(len(line) for line in lines) <= 78  # 7-bit, within RFC 5322's soft limit
    msg = _parse(raw)
    assert not msg.defects
    assert str(msg["Subject"]) == subject
    _assert_address(raw, "From", from_name, "ruta@x.test")
    _assert_address(raw, "To", to_name, "ona@y.test")
    plain, html = msg.get_body(("plain",)), msg.get_body(("html",))
    assert _lf(plain.get_content()) == _lf(body_text) and _lf(html.get_content()) == _lf(body_html)
    assert plain.get_content_charset() == "utf-8" and plain["Content-Transfer-Encoding"] == "quoted-printable"


def test_the_headers_a_sequence_email_carries():
    refs = " ".join(f"<sr{i}.0123456789ab@x.test>" for i in range(8))
    msg = _parse(build_message(_composed(headers={"In-Reply-To": "<sr7.0123456789ab@x.test>", "References": refs}),
                               SENT))
    assert msg.get_content_type() == "multipart/alternative"
    assert [p.get_content_type() for p in msg.iter_parts()] == ["text/plain", "text/html"]  # the richer one last
    assert msg["Message-ID"] == "<sr1.ab@x.test>" and msg["Date"].datetime == SENT
    assert msg["In-Reply-To"] == "<sr7.0123456789ab@x.test>" and " ".join(str(msg["References"]).split()) == refs


def test_a_line_break_in_a_subject_cannot_add_a_header():
    msg = _parse(build_message(_composed(subject="Hi\r\nBcc: victim@z.test", to_name="Ona\nX-Evil: 1"), SENT))
    assert msg["Bcc"] is None and msg["X-Evil"] is None and str(msg["Subject"]) == "Hi Bcc: victim@z.test"


def test_every_message_gets_its_own_boundary():
    one, two = (_parse(build_message(_composed(), SENT)).get_boundary() for _ in range(2))
    assert one != two and one.startswith("=_")
