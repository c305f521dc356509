"""One address rule for users, mailboxes, prospects and imports; its fast path answers as email-validator would."""
from __future__ import annotations

import pytest
from email_validator import EmailNotValidError, validate_email

from sequencer.accounts.users import normalize_email
from sequencer.errors import Invalid
from sequencer.people import fields
from sequencer.platform.addresses import clean_email

SAMPLES = ["Ona.Kazlauske@Example.LT", " jonas+q1@uab-pavyzdys.lt ", "a@b.co", "rūta@pavyzdys.lt", "x@localhost",
           "two@@example.com", "dots..twice@example.com", "a@example.test", "a@-bad.com", "a@exa--mple.com", ""]


@pytest.mark.parametrize("raw", SAMPLES)
def test_the_fast_path_agrees_with_email_validator(raw):
    try:
        expected = (validate_email(raw.strip(), check_deliverability=False).normalized.lower(), None)
    except EmailNotValidError:
        expected = None
    clean, problem = clean_email(raw)
    assert (clean, problem) == expected if expected else (clean is None and problem)


def test_every_door_uses_it():
    assert normalize_email(" Ona@Example.LT ") == fields.email("Ona@Example.LT")[0] == "ona@example.lt"
    with pytest.raises(Invalid) as refused:
        normalize_email("two@@example.com", "to")
    assert refused.value.details[0] == {"field": "to", "message": fields.email("two@@example.com")[1]}
