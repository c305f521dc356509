"""Translatable text for the lowest layers: services mark a refusal with `tr(...)`, each door says it in its language.

A `Text` is a `str` (the English sentence), so logs, the API and existing callers keep working unchanged;
`sequencer.platform.i18n.localized` renders it in another locale from the message id and parameters.
"""
from __future__ import annotations

from typing import Any


class Text(str):
    """English text that remembers its message id and parameters."""

    msgid: str
    params: dict[str, Any]

    def __new__(cls, msgid: str, params: dict[str, Any] | None = None) -> Text:
        self = super().__new__(cls, fill(msgid, params or {}, str))
        self.msgid = msgid
        self.params = params or {}
        return self

    def __reduce__(self):  # survives pickling into an RQ job's result
        return (Text, (self.msgid, self.params))


def tr(msgid: str, **params: Any) -> Text:
    """Marks text for translation (`pybabel extract -k tr`); `%(name)s` placeholders are filled when it is said."""
    return Text(msgid, params)


def fill(template: str, params: dict[str, Any], say: Any) -> str:
    """`template % params` (gettext's own `%(name)s` style, as in templates), each Text parameter said by `say`;
    a broken translation never hides the text."""
    if not params:
        return template
    try:
        return template % {k: say(v) if isinstance(v, Text) else v for k, v in params.items()}
    except (KeyError, IndexError, ValueError, TypeError):
        return template
