"""The API (and with it the prospect form) and the CSV import judge a field by the same rule and say the same."""
from __future__ import annotations

import pytest

from sequencer.people import fields
from sequencer.people.csv_import.rows import check_row
from sequencer.people.persona_match import PersonaMatcher

CASES = [
    ("phone", "12", "is not a phone number"),
    ("timezone", "Mars/Olympus", "unknown IANA time zone 'Mars/Olympus'"),
    ("linkedin_url", "javascript:alert(1)", "must be an http(s) link"),
    ("language", "english!", "use a language code such as en or lt"),
    ("company_domain", "not a domain", "'not a domain' is not a domain"),
    ("title", "x" * 301, "at most 300 characters"),
]


@pytest.mark.parametrize(("field", "value", "message"), CASES)
def test_api_and_csv_refuse_with_the_same_words(api, session, field, value, message):
    r = api("manager").post("/api/v1/prospects", {"email": "ona@example.lt", field: value})
    assert r.status_code == 422
    [detail] = [d for d in r.json["error"]["details"] if d["field"] == field]
    assert message in detail["message"]
    checked = check_row(["ona@example.lt", value], ["Email", "Column"], {0: "email", 1: field},
                        PersonaMatcher.of([]))
    assert [reason for column, reason in checked.issues if column == "Column"] == [detail["message"]]


@pytest.mark.parametrize(("raw", "clean"), [
    ("+370 612 34567", "+37061234567"), (" Ona.Kazlauske@Example.LT ", "ona.kazlauske@example.lt"),
    ("https://www.Acme.com/about", "acme.com"), ("EN", "en")])
def test_cleaners_store_one_form(raw, clean):
    cleaner = {"+": lambda v: fields.phone(v, None), " ": fields.email, "h": fields.domain, "E": fields.language}
    assert cleaner[raw[0]](raw) == (clean, None)


def test_a_spreadsheet_may_be_looser_than_the_api_where_people_type_so():
    checked = check_row(["a@b.lt", "linkedin.com/in/ona", "Lithuania"], ["Email", "LinkedIn", "Country"],
                        {0: "email", 1: "linkedin_url", 2: "country"}, PersonaMatcher.of([]))
    assert checked.issues == []
    assert checked.values["linkedin_url"] == "https://linkedin.com/in/ona" and checked.values["country"] == "LT"
