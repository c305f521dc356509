"""CSV export: formula-looking text is defused, numbers and Unicode survive, quoting is correct."""
import csv
import io
from datetime import date
from decimal import Decimal

import pytest

from sequencer.platform.csv_export import neutralise, to_csv


@pytest.mark.parametrize(("raw", "cell"), [
    ("=HYPERLINK(\"http://evil\")", "'=HYPERLINK(\"http://evil\")"), ("+1-555", "'+1-555"), ("-2+3", "'-2+3"),
    ("@SUM(A1)", "'@SUM(A1)"), ("\tcmd", "'\tcmd"), ("\r=1", "'\r=1"),
    ("Chose ERP module", "Chose ERP module"), ("a=b", "a=b"), ("", ""),
])
def test_text_that_starts_like_a_formula_gets_an_apostrophe(raw, cell):
    assert neutralise(raw) == cell


def test_numbers_dates_and_none_are_not_text():
    assert neutralise(-500) == -500 and neutralise(Decimal("-1.50")) == Decimal("-1.50")
    assert neutralise(date(2026, 11, 28)) == "2026-11-28" and neutralise(None) == "" and neutralise(True) == "yes"


def test_document_round_trips_with_bom_and_quotes():
    text = to_csv(["Reason", "Deals"], [["=cmd|' /C calc'!A0", 2], ["Kaina per didelė, \"brangu\"", -1]])
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows == [["Reason", "Deals"], ["'=cmd|' /C calc'!A0", "2"], ["Kaina per didelė, \"brangu\"", "-1"]]
