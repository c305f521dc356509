"""The password rule for every door (CLI, Settings, any reset): long enough, not blank, not a common password.

The common passwords are the 30,000 most frequent in Mark Burnett's leaked-password corpus, as shipped and
kept by the pinned `zxcvbn` package (`zxcvbn.frequency_lists`, its "passwords" list); compared case-insensitively
after trimming, so "Password1 " is as common as "password1".
"""
from __future__ import annotations

from functools import cache

from sequencer.texts import tr

MIN_LENGTH = 8


@cache
def common_passwords() -> frozenset[str]:
    """Loaded on first use: the list is a few hundred kilobytes."""
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    return frozenset(FREQUENCY_LISTS["passwords"])


def password_problem(password: str | None) -> str | None:
    """Why `password` is refused, as a person will read it next to the field, or None."""
    password = password or ""
    if len(password) < MIN_LENGTH:
        return tr("must be at least %(num)s characters", num=MIN_LENGTH)
    if not password.strip():
        return tr("must not be only spaces or other blanks")
    if password.strip().lower() in common_passwords():
        return tr("is too common: it is on the list of the most used passwords; choose another")
    return None
