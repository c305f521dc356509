"""Turning a step's subject and body templates into the email that is sent (and stored).

HTML body (autoescaped; a body without tags is treated as text paragraphs), then the sender's
signature and the legal footer, and a text alternative: straight from the sources for a text body (most sales
emails), made from the HTML by html2text for an HTML one.
Subjects render without autoescape and lose their line breaks (no header injection).
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import html2text
from jinja2 import UndefinedError
from markupsafe import Markup, escape

from sequencer.rendering.budget import DEFAULT_MAX_OUTPUT
from sequencer.rendering.render import render, render_probe
from sequencer.rendering.validation import template_variables

_TAG = re.compile(r"<\s*/?\s*[a-zA-Z][a-zA-Z0-9-]*(\s[^<>]*)?/?\s*>|<!--")
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n\s*")
_LINE_BREAKS = re.compile(r"[\r\n\v\f\x1c-\x1e\x85\u2028\u2029]+")
_URL = re.compile(r"https?://[^\s<>\"']+")
_EXTRA_BLANK_LINES = re.compile(r"\n{3,}")


@dataclass(frozen=True)
class RenderedEmail:
    subject: str
    body_html: str
    body_text: str
    missing: list[str] = field(default_factory=list)  # non-empty: hold the step, ask a human


def looks_like_html(text: str) -> bool:
    return bool(_TAG.search(text))


def _linked(line: str) -> Markup:
    """Escape a line of text and turn its http(s) URLs into links."""
    return Markup(_URL.sub(lambda m: f'<a href="{m.group(0)}">{m.group(0)}</a>', str(escape(line))))


def text_to_html(text: str, linkify: bool = False) -> Markup:
    """Plain text to HTML: escaped, blank-line paragraphs to <p>, single newlines to <br>."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    if not text:
        return Markup("")
    paragraphs = _PARAGRAPH_BREAK.split(text)
    line = _linked if linkify else escape
    return Markup("\n").join(
        Markup("<p>{}</p>").format(Markup("<br>\n").join(line(part) for part in p.split("\n")))
        for p in paragraphs
    )


def html_to_text(html: str) -> str:
    converter = html2text.HTML2Text(bodywidth=0)
    converter.ignore_images = True
    converter.ignore_emphasis = True
    converter.unicode_snob = True
    converter.skip_internal_links = True
    text = converter.handle(html)
    lines = [line.rstrip() for line in text.splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip() + "\n"


def _plain(text: str) -> str:
    """Text as the text part carries it: LF line ends, no trailing blanks, at most one empty line in a row."""
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    return _EXTRA_BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


@lru_cache(maxsize=256)
def _signature_text(signature: str) -> str:
    """A signature as text; an HTML one through html2text, once per distinct signature (a sender's repeats)."""
    return html_to_text(signature) if looks_like_html(signature) else signature


def text_alternative(body: str, signature: str | None, footer_text: str) -> str:
    """The text part of a text-bodied email from its sources: what html2text recovers from the HTML we build of
    them, minus the round trip (a fifth of a send's CPU) and its Markdown (`<url>`, escaped `1.`)."""
    parts = [_plain(body)]
    if signature:
        parts.append(_plain(_signature_text(signature)))
    if footer_text and footer_text.strip():
        parts.append(_plain(footer_text))
    return "\n\n".join(p for p in parts if p) + "\n"


def clean_subject(subject: str) -> str:
    return " ".join(_LINE_BREAKS.sub(" ", subject).split())


def _footer_html(footer_text: str) -> Markup:
    return text_to_html(footer_text, linkify=True)


def _signature_html(signature: str) -> Markup:
    return Markup(signature) if looks_like_html(signature) else text_to_html(signature)


def _lines(text: str) -> list[str]:
    return [line.strip().casefold() for line in text.replace("\r\n", "\n").split("\n") if line.strip()]


def drop_sign_off(body: str, signature: str) -> str:
    """The body without a closing that repeats the signature's first lines (a template ending with
    `{{ sender.name }}`, or a draft that already carries the signature), so the signature appears once."""
    wanted = _lines(html_to_text(signature) if looks_like_html(signature) else signature)
    lines = body.rstrip().split("\n")
    filled = [i for i, line in enumerate(lines) if line.strip()]
    for k in range(min(len(wanted), len(filled)), 0, -1):
        tail = filled[-k:]
        if [lines[i].strip().casefold() for i in tail] == wanted[:k]:
            return "\n".join(lines[:tail[0]]).rstrip()
    return body


def _render_parts(subject_src: str, body_src: str, body_is_html: bool, context: Mapping[str, Any],
                  max_output: int) -> tuple[str, str, list[str]]:
    try:
        subject = render(subject_src, context, html=False, max_output=max_output)
        body = render(body_src, context, html=body_is_html, max_output=max_output)
        return subject, body, []
    except UndefinedError:
        subject, missing_s = render_probe(subject_src, context, html=False, max_output=max_output)
        body, missing_b = render_probe(body_src, context, html=body_is_html, max_output=max_output)
        return subject, body, list(dict.fromkeys(missing_s + missing_b))


def render_email(subject_src: str, body_src: str, context: Mapping[str, Any], *, signature: str | None,
                 footer_text: str, max_output: int = DEFAULT_MAX_OUTPUT, text_body: bool = False) -> RenderedEmail:
    """Render one email. Missing values render as "" and are listed in ``missing``; template
    errors (TemplateInvalid, SecurityError, RenderLimitExceeded...) propagate. ``text_body``: the body
    is plain text even if it contains tags (a rep's hand-written email), so all of it is escaped."""
    body_is_html = looks_like_html(body_src) and not text_body
    subject, body, missing = _render_parts(subject_src, body_src, body_is_html, context, max_output)
    signs = bool(signature and signature.strip() and "sender.signature" not in template_variables(body_src))
    if signs and not body_is_html:
        body = drop_sign_off(body, signature or "")
    parts = [Markup(body) if body_is_html else text_to_html(body, linkify=True)]
    if signs and signature:
        parts.append(Markup('<div class="signature">{}</div>').format(_signature_html(signature)))
    if footer_text and footer_text.strip():
        parts.append(Markup('<div class="footer" style="color:#777;font-size:12px">{}</div>')
                     .format(_footer_html(footer_text)))
    body_html = str(Markup("\n").join(parts))
    body_text = html_to_text(body_html) if body_is_html else \
        text_alternative(body, signature if signs else None, footer_text)
    return RenderedEmail(clean_subject(subject), body_html, body_text, missing)
