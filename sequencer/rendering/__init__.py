"""Sandboxed Jinja for email content: validate at save time, render (bounded) at send time.

Public API:
    SCHEMA, ALLOWED_FILTERS, ALLOWED_TESTS, variable_paths()  - what templates may use
    validate_template(source, *, field, html) -> list[TemplateProblem]
    check_template(source, *, field, html) -> list[TemplateProblem]  - validation + a trial render (save time)
    template_variables(source) -> frozenset[str]
    render(source, context, *, html, max_output=200_000, time_limit=0.25) -> str
    missing_variables(source, context, *, html=True) -> list[str]
    render_email(subject_src, body_src, context, *, signature, footer_text) -> RenderedEmail
    build_context(prospect, company, sender, persona, unsubscribe_url) -> dict
    html_to_text(html) -> str
Errors (all jinja2.TemplateError): TemplateInvalid, RenderLimitExceeded, SecurityError,
UndefinedError, TemplateRuntimeError.
"""
from jinja2 import TemplateRuntimeError, UndefinedError
from jinja2.sandbox import SecurityError

from sequencer.rendering.budget import RenderLimitExceeded
from sequencer.rendering.email import RenderedEmail, html_to_text, render_email, text_to_html
from sequencer.rendering.render import (
    TemplateInvalid,
    build_context,
    check_template,
    compile_template,
    missing_variables,
    render,
)
from sequencer.rendering.sandbox import MAX_RANGE
from sequencer.rendering.schema import ALLOWED_FILTERS, ALLOWED_TESTS, SCHEMA, variable_paths
from sequencer.rendering.validation import TemplateProblem, template_variables, validate_template

__all__ = [
    "ALLOWED_FILTERS", "ALLOWED_TESTS", "MAX_RANGE", "SCHEMA", "RenderLimitExceeded", "RenderedEmail",
    "SecurityError", "TemplateInvalid", "TemplateProblem", "TemplateRuntimeError", "UndefinedError",
    "build_context", "check_template", "compile_template", "html_to_text", "missing_variables", "render", "render_email",
    "template_variables", "text_to_html", "validate_template", "variable_paths",
]
