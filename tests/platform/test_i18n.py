"""Formatting, translatable refusals and Lithuanian name order, without Flask."""
from __future__ import annotations

import pickle
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import literal_column, select, union_all

from sequencer.errors import Invalid
from sequencer.platform import i18n
from sequencer.platform.collation import by_name, collation_for, lt_sort_key
from sequencer.texts import Text, tr

WHEN = datetime(2026, 12, 6, 14, 5, tzinfo=ZoneInfo("Europe/Vilnius"))


@pytest.mark.parametrize(("fmt", "lt", "en"), [
    ("%d %b %Y", "2026 m. gruodžio 6 d.", "06 Dec 2026"),
    ("%d %b, %H:%M", "gruodžio 6 d. 14:05", "06 Dec, 14:05"),
    ("%a %d %b", "gruodžio 6 d., sk", "Sun 06 Dec"),
    ("%b %Y", "2026 m. gruodis", "Dec 2026"),
    ("%Y-%m-%d %H:%M", "2026-12-06 14:05", "2026-12-06 14:05"),
])
def test_dates_in_each_language(fmt, lt, en):
    assert i18n.format_when(WHEN, fmt, "lt") == lt
    assert i18n.format_when(WHEN, fmt, "en") == en
    assert i18n.format_when(date(2026, 12, 6), "%d %b %Y", "lt") == "2026 m. gruodžio 6 d."


def test_numbers_and_money_in_each_language():
    nbsp = "\u00a0"
    assert i18n.format_money(Decimal("1200000"), "EUR", "lt") == f"1{nbsp}200{nbsp}000,00{nbsp}€"
    assert i18n.format_money(1200000, "EUR", "en") == "€1,200,000.00"
    assert i18n.format_money(48000, "EUR", "lt", cents=False) == f"48{nbsp}000{nbsp}€"
    assert i18n.format_number(1234.5, "lt") == f"1{nbsp}234,5"
    assert i18n.format_number(1234.5, "en") == "1,234.5"
    assert i18n.weekday_names("lt")[0] == "pr" and i18n.weekday_names("en")[0] == "Mon"


@pytest.mark.parametrize(("value", "code"), [("lt-LT", "lt"), ("LT", "lt"), ("en_GB", "en"), ("de", None), ("", None)])
def test_supported_locales(value, code):
    assert i18n.supported(value) == code


def test_a_refusal_is_english_text_that_can_be_said_in_lithuanian():
    refusal = tr("Pick a time zone from the list, e.g. Europe/Vilnius.")
    assert isinstance(refusal, str) and refusal == "Pick a time zone from the list, e.g. Europe/Vilnius."
    assert i18n.localized(refusal, "lt") == "Pasirinkite laiko juostą iš sąrašo, pvz., Europe/Vilnius."
    assert i18n.localized("not marked", "lt") == "not marked"
    assert pickle.loads(pickle.dumps(refusal)).msgid == refusal.msgid


def test_parameters_and_nested_texts_are_said_too():
    problem = Invalid.field("name", tr("Use at most 200 characters."))
    assert problem.message == "name: Use at most 200 characters."
    assert i18n.localized(problem.message, "lt") == "name: Ne daugiau kaip 200 simbolių."
    several = Invalid.of([{"field": "name", "message": tr("Use at most 200 characters.")},
                          {"field": "locale", "message": tr("Pick a language from the list.")}])
    assert i18n.localized(several.message, "lt") == \
        "name: Ne daugiau kaip 200 simbolių.; locale: Pasirinkite kalbą iš sąrašo."


def test_a_broken_translation_never_hides_the_text():
    assert str(Text("%(missing)s left", {})) == "%(missing)s left"
    assert str(Text("%(n)d left", {"n": "x"})) == "%(n)d left"


NAMES = ["Žukauskas", "Zabiela", "Šimkus", "Sabonis", "Čepas", "Cvirka", "Ąžuolas", "Ambrazas", "Jonaitis", "Yla"]
LT_ORDER = ["Ambrazas", "Ąžuolas", "Cvirka", "Čepas", "Yla", "Jonaitis", "Sabonis", "Šimkus", "Zabiela", "Žukauskas"]


def test_lithuanian_name_order_in_python():
    assert sorted(NAMES, key=lt_sort_key) == LT_ORDER


def test_lithuanian_name_order_in_the_database(session):
    """SQLite gets the `lt` collation on every connection; PostgreSQL uses ICU's lt-x-icu where it has it."""
    rows = union_all(*[select(literal_column(f"'{n}'").label("name")) for n in NAMES]).subquery()
    name = rows.c.name
    ordered = list(session.scalars(select(name).order_by(by_name(session, name, "lt"))))
    assert collation_for(session, "en") is None
    if collation_for(session, "lt") is None:  # a PostgreSQL built without ICU: the documented fallback, its own order
        assert session.get_bind().dialect.name == "postgresql" and sorted(ordered) == sorted(NAMES)
        return
    assert ordered.index("Čepas") == ordered.index("Cvirka") + 1
    assert ordered.index("Šimkus") == ordered.index("Sabonis") + 1
    assert ordered[-1] == "Žukauskas"
