"""The reader's language for the UI: Flask-Babel over the shared catalogues, the formatting filters and the JS catalogue.

The locale is the user's profile setting, else the browser's Accept-Language, else the workspace default.
The API always speaks English (its messages are part of the contract); public pages that belong to a prospect
(unsubscribe, hosted forms) render under `force_locale` of the prospect's language.
"""
from __future__ import annotations

import contextlib
import functools
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from babel import Locale
from babel.support import NullTranslations
from flask import Flask, has_request_context, request
from flask_babel import Babel, get_locale, refresh
from flask_login import current_user
from sqlalchemy.exc import SQLAlchemyError

from sequencer.accounts.workspace import default_locale
from sequencer.extensions import db
from sequencer.platform import i18n
from sequencer.platform.timezones import zone

babel = Babel()


def select_locale() -> str:
    if not has_request_context():
        return i18n.DEFAULT_LOCALE
    if request.path.startswith("/api/"):
        return i18n.DEFAULT_LOCALE
    try:
        own = i18n.supported(getattr(current_user, "locale", None)) if current_user.is_authenticated else None
    except SQLAlchemyError:  # the error page for a database that is down still renders, in English
        db.session.rollback()
        return i18n.DEFAULT_LOCALE
    return own or request.accept_languages.best_match(i18n.LOCALES) or workspace_locale()


def workspace_locale() -> str:
    try:
        return default_locale(db.session)
    except SQLAlchemyError:  # the error page for a database that is down still renders, in English
        db.session.rollback()
        return i18n.DEFAULT_LOCALE


def current() -> str:
    """The locale this request renders in (`en` outside a request)."""
    if not has_request_context():
        return i18n.DEFAULT_LOCALE
    locale = get_locale()
    try:
        return _CODES[locale]
    except KeyError:  # str(Locale) rebuilds the identifier on every call; a page asks a hundred times
        return _CODES.setdefault(locale, str(locale or i18n.DEFAULT_LOCALE))


_CODES: dict[Locale | None, str] = {}


def say(text: object) -> str:
    """A service's refusal or label (`sequencer.texts.Text`) in the reader's language; plain strings unchanged."""
    return i18n.localized(text, current())


def when(value: datetime | date | None, fmt: str = "%d %b %Y", tz: ZoneInfo | str | None = None) -> str:
    """A date or time in the reader's language; datetimes move to `tz` first (a name or a zone) when given."""
    if value is None:
        return "—"
    if isinstance(value, datetime) and tz is not None:
        with contextlib.suppress(OverflowError):  # the ends of the calendar stay as stored
            value = value.astimezone(tz if isinstance(tz, ZoneInfo) else zone(tz))
    return i18n.format_when(value, fmt, current())


def number(value: int | float | Decimal | None, digits: int | None = None) -> str:
    return i18n.format_number(value, current(), digits)


def share(value: float | None, digits: int = 0) -> str:
    return i18n.format_share(value, current(), digits)


@functools.lru_cache(maxsize=1)
def _js_messages() -> tuple[tuple[str, str | None], ...]:
    """Every `gettext("…")` / `ngettext("…", "…", n)` in our scripts, read from the files themselves."""
    from babel.messages.extract import extract

    found: dict[tuple[str, str | None], None] = {}
    static = i18n.TRANSLATIONS_DIR.parent / "static"
    for path in sorted(static.glob("*.js")):
        with path.open("rb") as source:
            for _line, message, _comments, _context in extract("javascript", source,
                                                               keywords={"gettext": None, "ngettext": (1, 2)}):
                if isinstance(message, tuple):
                    found[(message[0], message[1])] = None
                else:
                    found[(message, None)] = None
    return tuple(found)


@functools.lru_cache(maxsize=8)
def _js_catalog_for(locale: str) -> dict:
    table = i18n.translations(locale)
    messages: dict[str, str | list[str]] = {}
    for singular, plural in _js_messages():
        if plural is None:
            messages[singular] = table.gettext(singular)
        else:
            count = 3 if locale == "lt" else 2
            samples = {3: (1, 2, 10), 2: (1, 2)}[count]
            messages[singular] = [table.ngettext(singular, plural, n) for n in samples]
    return {"locale": locale, "messages": messages}


def js_catalog() -> dict:
    """What base.html hands the scripts (as JSON data, not code: the CSP forbids inline scripts)."""
    return _js_catalog_for(current())


def _catalogue() -> NullTranslations:
    """The catalogue of the locale in force (the request's, or a `force_locale`'s), by the Locale object Flask-Babel
    keeps on the context: a page says ~150 strings, and Flask-Babel's own lookup cost 13 µs each."""
    locale = get_locale()
    try:
        return _CATALOGUES[locale]
    except KeyError:
        return _CATALOGUES.setdefault(locale, i18n.translations(str(locale) if locale else None))


_CATALOGUES: dict[Locale | None, NullTranslations] = {}


def _install_fast_gettext(app: Flask) -> None:
    """Templates' `_`, `gettext`, `ngettext`, `pgettext`: the same catalogues and newstyle semantics as Flask-Babel's
    callables (autoescaped, `%(name)s` filled), minus its per-string context dance."""
    app.jinja_env.install_gettext_callables(  # type: ignore[attr-defined]  # added by jinja2.ext.i18n
        gettext=lambda s: _catalogue().gettext(s),
        ngettext=lambda s, p, n: _catalogue().ngettext(s, p, n),
        pgettext=lambda c, s: _catalogue().pgettext(c, s),
        npgettext=lambda c, s, p, n: _catalogue().npgettext(c, s, p, n),
        newstyle=True)


def init_app(app: Flask) -> None:
    i18n.ensure_compiled()
    babel.init_app(app, locale_selector=select_locale,
                   default_translation_directories=str(i18n.TRANSLATIONS_DIR))
    # Flask-Babel caches the locale on the app context, which outlives one request where a caller (a test,
    # a CLI command) holds its own: each request chooses again
    app.before_request(refresh)
    _install_fast_gettext(app)
    app.jinja_env.filters.update(when=when, number=number, share=share, say=say)
    app.jinja_env.globals.update(js_catalog=js_catalog, current_locale=current, locale_names=i18n.LOCALE_NAMES)
