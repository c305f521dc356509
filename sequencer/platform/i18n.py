"""Translations without Flask: the catalogues, a refusal's translatable text, and formatting for a locale.

The web door uses Flask-Babel over the same catalogues; services and jobs (which never import Flask) use
`gettext_in(locale, ...)` here, so an email a job writes speaks its recipient's language.
"""
from __future__ import annotations

import functools
import re
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from babel import Locale
from babel.dates import format_date, format_skeleton
from babel.numbers import format_currency, format_decimal, format_percent
from babel.support import NullTranslations, Translations

from sequencer.texts import Text, fill, tr

__all__ = ["Text", "tr", "localized", "gettext_in", "ngettext_in", "format_when", "format_number", "format_money"]

LOCALES = ("en", "lt")
DEFAULT_LOCALE = "en"
LOCALE_NAMES = {"en": "English", "lt": "Lietuvių"}
TRANSLATIONS_DIR = Path(__file__).resolve().parent.parent / "translations"
DOMAIN = "messages"


def supported(value: str | None) -> str | None:
    """`lt-LT`, `LT`, `lt_LT` → `lt`; anything we have no catalogue for → None."""
    if not value:
        return None
    code = re.split(r"[-_]", value.strip().lower(), maxsplit=1)[0]
    return code if code in LOCALES else None


def localized(text: object, locale: str | None) -> str:
    """Text in `locale`: a `Text` is translated (its Text parameters too), any other string is shown as it is."""
    if isinstance(text, Text):
        return fill(translations(locale).gettext(text.msgid), text.params, lambda t: localized(t, locale))
    return str(text)


@functools.lru_cache(maxsize=8)
def translations(locale: str | None) -> NullTranslations:
    """The compiled catalogue for `locale` (English is the source language: no catalogue needed)."""
    code = supported(locale)
    if code is None or code == DEFAULT_LOCALE:
        return NullTranslations()
    ensure_compiled()
    return Translations.load(str(TRANSLATIONS_DIR), [code], DOMAIN)


def gettext_in(locale: str | None, msgid: str, **params: Any) -> str:
    return fill(translations(locale).gettext(msgid), params, lambda t: localized(t, locale))


def ngettext_in(locale: str | None, singular: str, plural: str, n: int, **params: Any) -> str:
    """Counts only: Lithuanian has three forms (1, 21 …; 2–9, 22 …; 0, 10–20 …). `%(num)d` is the count."""
    return fill(translations(locale).ngettext(singular, plural, n), {"num": n, **params},
                lambda t: localized(t, locale))


def ensure_compiled() -> None:
    """Compiles a `.po` whose `.mo` is missing or older, so `make run` and a fresh install need nothing extra."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    for po in TRANSLATIONS_DIR.glob(f"*/LC_MESSAGES/{DOMAIN}.po"):
        mo = po.with_suffix(".mo")
        if mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
            continue
        with po.open("rb") as source:
            catalog = read_po(source, locale=po.parent.parent.name)
        tmp = mo.with_suffix(".mo.tmp")
        with tmp.open("wb") as out:
            write_mo(out, catalog, use_fuzzy=False)
        tmp.replace(mo)  # atomic: a second process starting at the same time reads a whole file


# ---- dates, numbers, money -----------------------------------------------------------------------

_NAMES = re.compile(r"%[aAbB]")


def format_when(value: datetime | date, fmt: str, locale: str | None) -> str:
    """`strftime(fmt)` in English (as before); in another locale, the same parts in that language's own order.

    Formats without day or month names (ISO stamps, `%H:%M`) read the same everywhere and stay `strftime`.
    """
    code = supported(locale) or DEFAULT_LOCALE
    if code == DEFAULT_LOCALE or not _NAMES.search(fmt):
        return value.strftime(fmt)
    has_day = "%d" in fmt or "%-d" in fmt
    weekday = "EEEE" if "%A" in fmt else "E" if "%a" in fmt else ""
    if "%Y" in fmt and has_day and not weekday:
        text = format_date(value, "long", locale=code)
    elif has_day:
        text = format_skeleton(("y" if "%Y" in fmt else "") + "MMMMd" + weekday, value, locale=code)
    elif "%b" in fmt or "%B" in fmt:
        text = format_skeleton(("y" if "%Y" in fmt else "") + "MMMM", value, locale=code)
    else:
        text = format_skeleton(weekday or "E", value, locale=code)
    if weekday == "EEEE":  # a skeleton match keeps its pattern's short weekday ("tr"): %A names the whole day
        short = format_date(value, "E", locale=code)
        text = text[:-len(short)] + format_date(value, "EEEE", locale=code) if text.endswith(short) else text
    if "%H" in fmt and isinstance(value, datetime):
        text += value.strftime(" %H:%M")
    if "%Z" in fmt and isinstance(value, datetime):
        text += value.strftime(" %Z")
    return text


def format_number(value: int | float | Decimal | None, locale: str | None, digits: int | None = None) -> str:
    if value is None:
        return "—"
    code = supported(locale) or DEFAULT_LOCALE
    if digits is not None:
        return format_decimal(value, format=f"#,##0.{'0' * digits}" if digits else "#,##0", locale=code)
    return format_decimal(value, locale=code)


def format_money(value: int | float | Decimal | None, currency: str, locale: str | None, cents: bool = True) -> str:
    """`1 200 000,00 €` in Lithuanian, `€1,200,000.00` in English; never through ngettext."""
    if value is None:
        return "—"
    code = supported(locale) or DEFAULT_LOCALE
    if cents:
        return format_currency(value, currency, locale=code)
    pattern = Locale.parse(code).currency_formats["standard"].pattern.split(";")[0].replace(".00", "")
    return format_currency(value, currency, format=pattern, locale=code, currency_digits=False)


def format_share(value: float | None, locale: str | None, digits: int = 0) -> str:
    """A ratio (0.253) as a percentage in the locale's way (`25 %` in Lithuanian)."""
    if value is None:
        return "—"
    code = supported(locale) or DEFAULT_LOCALE
    if not digits:
        return format_percent(value, locale=code)
    return format_percent(value, format="#,##0" + ("." + "0" * digits if digits else "") + "%", locale=code)


def weekday_names(locale: str | None, width: str = "abbreviated") -> list[str]:
    """Monday first, in the locale's language (the schedule editor and previews)."""
    names = Locale.parse(supported(locale) or DEFAULT_LOCALE).days["format"][width]
    return [names[i] for i in range(7)]


def recipient_locale(own: str | None, workspace_default: str | None) -> str:
    """The language of an email to one of our users: their own setting, else the workspace's, else English."""
    return supported(own) or supported(workspace_default) or DEFAULT_LOCALE
