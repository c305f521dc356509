"""Out-of-office replies state the return day in free text (EN/LT/DE); a small rule table reads it, explainably."""
from __future__ import annotations

import datetime as dt
import re
import unicodedata

__all__ = ["return_date"]

HEAD_CHARS = 3000                      # only the top of an auto-reply matters
MAX_AHEAD = dt.timedelta(days=366)     # "back on" more than a year out: a typo or a distractor
MAX_BEHIND = dt.timedelta(days=7)      # a few days in the past: a stale auto-reply, still believable

# Month words after casefold + diacritics stripped ("März" -> "marz", "gegužės" -> "geguzes", "Jänner" -> "janner").
# Lithuanian: genitive ("sausio 5 d.") and nominative ("sausis").
_MONTHS = {
    1: "january jan januar janner jaenner sausio sausis",
    2: "february feb februar feber vasario vasaris",
    3: "march mar marz maerz mrz kovo kovas",
    4: "april apr balandzio balandis",
    5: "may mai geguzes geguze",
    6: "june jun juni birzelio birzelis",
    7: "july jul juli liepos liepa",
    8: "august aug rugpjucio rugpjutis",
    9: "september sept sep rugsejo rugsejis",
    10: "october oct oktober okt spalio spalis",
    11: "november nov lapkricio lapkritis",
    12: "december dec dezember dez gruodzio gruodis",
}
_MONTH_OF = {word: number for number, words in _MONTHS.items() for word in words.split()}
_MONTH = r"(?P<mn>" + "|".join(sorted(_MONTH_OF, key=len, reverse=True)) + r")\b\.?"
_ORD = r"(?:st|nd|rd|th)"
_YEAR_AFTER = r"(?:,?\s*(?P<y2>\d{4})(?!\d))?"

# --- Cleaning -------------------------------------------------------------------------------------------------------
# Where the quoted original starts: everything from here on is someone else's email (and its date line).
_QUOTE_HEADER = re.compile(
    r"^[ \t]*on\b[^\n]{0,200}(?:\n[^\n]{0,200})?\bwrote:"            # On Mon, 7 Dec 2026 at 09:12, Rita wrote:
    r"|^[ \t]*am\b[^\n]{0,200}(?:\n[^\n]{0,200})?\bschrieb\b"         # Am 07.12.2026 um 09:12 schrieb Rita:
    r"|^[^\n]{0,200}\brase:"                                          # 2026-12-07 09:12, Rita rašė:
    r"|^[ \t]*-{2,}\s*(?:original message|urspr\w* nachricht|originalus laiskas|forwarded message|weitergeleitet)"
    r"|^[ \t]*_{10,}"                                                 # Outlook's separator rule
    r"|^[ \t]*(?:from|von|nuo|sent|gesendet):",                       # Outlook header block
    re.MULTILINE)
_QUOTED_LINE = re.compile(r"^[ \t]*>.*$", re.MULTILINE)
_DASHES = re.compile(r"[\u2010-\u2015\u2212]")
# Weekday names carry no information next to a date ("Monday, January 4th"); dropping them keeps the rules simple.
_WEEKDAY = re.compile(
    r"\b(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|montag|dienstag|mittwoch|donnerstag|freitag"
    r"|samstag|sonnabend|sonntag|(?:pirm|antr|trec|ketvirt|penkt|sest|sekm)adien\w*)\b,?"
    r"|\b(?:mon|tues?|wed|thu|thur|thurs|fri|sat|sun|mo|di|mi|do|fr|sa|so)(?:\.,?|,|(?=\s+\d))")

# --- Dates: each rule finds one way of writing a day; overlaps go to the earliest, longest match ----------------------
_DATE_RULES = [
    # 2027-01-05, 2027.01.05 (ISO, Lithuanian)
    re.compile(r"(?<![\d.])(?P<y>\d{4})[-./](?P<m>\d{1,2})[-./](?P<d>\d{1,2})(?![\d])"),
    # 14/01/2027, 05.01.2027, 05.01., 1/14/27: day first unless only the US reading is possible; not a time (10.30 Uhr)
    re.compile(r"(?<![\d.])(?P<a>\d{1,2})[./](?P<b>\d{1,2})(?:[./](?P<y>\d{4}|\d{2}))?\.?(?!\.?\d)"
               r"(?!\s*(?:uhr|h|val|pm)\b)"),
    # 12-21, 01-04: Lithuanian month-day without a year ("nuo 12-21 iki 01-04")
    re.compile(r"(?<![\d.-])(?P<m>0[1-9]|1[0-2])-(?P<d>0[1-9]|[12]\d|3[01])(?![\d-])"),
    # 5 January 2027, 5. Januar, the 5th of January, 4th Jan
    re.compile(rf"(?<!\d)(?P<d>\d{{1,2}})(?:{_ORD}|\.)?\s*(?:of\s+)?{_MONTH}{_YEAR_AFTER}"),
    # January 5th, 2027 / Jan. 5 / December 21-24 / sausio 5 d. / 2027 m. sausio 5-osios d.
    re.compile(rf"(?:(?P<y>\d{{4}})\s*m\.\s*)?\b{_MONTH}\s*(?:the\s+)?(?P<d>\d{{1,2}})(?!\d)(?:{_ORD}|-[a-z]{{1,6}})?"
               rf"(?:\s*-\s*(?P<e>\d{{1,2}})(?!\d){_ORD}?)?(?:\s*d\.)?{_YEAR_AFTER}"),
]

# --- Cues: the words around a date say what the date means ------------------------------------------------------------
_FILL = r"(?:[\s,]+(?!(?:until|till|til|bis|iki|through|thru)\b)[a-z']+)"    # a few words, but not an "until"
# Return phrases before the date: back on, returning, in the office again on, grįšiu, wieder ab dem ...
_RETURN_BEFORE = re.compile(
    r"\b(?:back|return\w*|again\s+(?:on|from)|available(?:\s+again)?\s+(?:from|on|as\s+of)|zuruck|wieder"
    r"|grisiu|grysiu|grizsiu|grizt\w*|grisim\w*|grizsim\w*|busiu\s+darbe|darbe\s+busiu|vel|dirbsiu)\b"
    rf"{_FILL}{{0,6}}[\s,:]*\Z")
# Return phrases after the date, the German/Lithuanian word order: "am 5. Januar wieder da", "sausio 5 d. grįšiu".
_RETURN_AFTER = re.compile(
    r"\A\s*(?:(?!(?:and|und|ir|aber|but|bet)\b)[a-z']+\s+){0,3}?"
    r"(?:wieder|zuruck|grisiu|grysiu|grizsiu|vel|busiu\s+darbe|dirbsiu)\b")
# "from X" is the return day only when the clause is not about being away ("ab dem 21.12. im Urlaub").
_WEAK_FROM = re.compile(r"\b(?:from|nuo|ab|as\s+of|starting)(?:\s+(?:dem|den|the))?[\s,]*\Z")
_AWAY = re.compile(r"\b(?:out|away|off|leave|vacation|holiday|absent|closed|not|unavailable|urlaub|abwesend|nicht"
                   r"|ferien|geschlossen|nesu|nebusiu|nedirb\w*|atostog\w*|isvyk\w*|uzdaryt\w*)")
_CLAUSE_BREAK = re.compile(r"[!?;,\n]|\.\s|\b(?:and|und|ir|but|aber|bet)\b")
# Until: until X, till X, bis (zum) X, iki X -> X as stated (the caller adds a business day).
_UNTIL_BEFORE = re.compile(r"\b(?:until|untill|till|til|bis|iki|through|thru)"
                           r"(?:[\s,]+(?:and|including|zum|zur|dem|den|the|am|einschliesslich|einschl\.|inkl\.?"
                           r"|inklusive))*[\s,]*\Z")
# Inclusive: until and including X, through X, bis einschließlich X, X inclusive, iki X imtinai -> X + 1.
_INCL_BEFORE = re.compile(r"(?:and\s+including|through|thru|einschliesslich|einschl\.?|inklusive|inkl\.?)"
                          r"[\s,]*(?:the|dem|den|zum)?[\s,]*\Z")
_INCL_AFTER = re.compile(r"\A[\s,(]*(?:inclusive|inclusively|incl\b|included|imtinai|einschliesslich|einschl\b"
                         r"|inklusive|inkl\b)")
# Ranges: the gap between two dates is only a connector ("21.12.–04.01.", "from X to Y", "nuo X iki Y") ...
_RANGE_GAP = re.compile(r"[\s,]*(?P<conn>-|to|till?|until|through|thru|bis|iki|and|und|ir)"
                        r"(?:\s+(?:the|dem|den|zum|einschliesslich|einschl\.|inkl\.))?[\s,]*")
_BETWEEN = re.compile(r"\b(?:between|zwischen|tarp)\s*\Z")   # ... "and" joins a range only after "between"
# ... or the start is just a day number: "21.-24.12.", "vom 21. bis 24. Dezember", "from 21 to 24 December"
# (with words, only after "from": "Room 12 until 5 January" is no range).
_PARTIAL_START = re.compile(rf"(?:(?<![\d.])\d{{1,2}}\.?\s*-|\b(?:from|vom|von|nuo|between|zwischen)\s+"
                            rf"(?:the\s+)?\d{{1,2}}(?:{_ORD}|\.)?\s*(?:to|till?|until|bis|iki|and|und))"
                            r"\s*(?:the|dem|den|zum)?\s*\Z")

RETURN, RANGE_END, UNTIL = 0, 1, 2     # preference when several dates are stated; then the first in the text wins


def return_date(text: str, received: dt.date) -> dt.date | None:
    """The day the sender says they are back, from an out-of-office text in English, Lithuanian or German."""
    if isinstance(received, dt.datetime):
        received = received.date()
    t = _clean(text if isinstance(text, str) else "")
    spans = _find_dates(t)
    best: tuple[int, int, dt.date] | None = None
    for i, span in enumerate(spans):
        verdict = _classify(t, spans, i)
        if verdict is None:
            continue
        rank, extra_days = verdict
        start, _end, (year, month, day, _) = span
        day_back = _resolve(year, month, day, received, extra_days)
        if day_back is not None and (best is None or (rank, start) < best[:2]):
            best = (rank, start, day_back)
    return best[2] if best else None


def _clean(text: str) -> str:
    """Lower-case ASCII-ish text of the reply itself: no diacritics, no quoted original, no weekday names."""
    t = unicodedata.normalize("NFKD", text[:HEAD_CHARS].casefold())
    t = "".join(c for c in t if not unicodedata.combining(c))
    t = _DASHES.sub("-", t)
    quote = _QUOTE_HEADER.search(t)
    if quote:
        t = t[:quote.start()]
    return _WEEKDAY.sub(" ", _QUOTED_LINE.sub("", t))


Span = tuple[int, int, tuple[int | None, int, int, bool]]


def _find_dates(t: str) -> list[Span]:
    """Every written day as (start, end, (year or None, month, day, is a "December 21-24" range)), in text order."""
    found = sorted((m for rule in _DATE_RULES for m in rule.finditer(t)), key=lambda m: (m.start(), -m.end()))
    spans: list[Span] = []
    for m in found:
        if spans and m.start() < spans[-1][1]:
            continue
        g = m.groupdict()
        if g.get("a"):
            a, b = int(g["a"]), int(g["b"])
            g["d"], g["m"] = (b, a) if a <= 12 < b else (a, b)
        month = _MONTH_OF[g["mn"]] if g.get("mn") else int(g["m"])
        year = g.get("y") or g.get("y2")
        spans.append((m.start(), m.end(), (int(year) if year else None, month, int(g.get("e") or g["d"]),
                                           bool(g.get("e")))))
    return spans


def _joined(t: str, first: Span, second: Span) -> bool:
    """Whether two dates form a range: only a connector between them ("and" only after "between")."""
    gap = _RANGE_GAP.fullmatch(t[first[1]:second[0]])
    if gap is None:
        return False
    return gap["conn"] not in ("and", "und", "ir") or bool(_BETWEEN.search(t[max(0, first[0] - 30):first[0]]))


def _classify(t: str, spans: list[Span], i: int) -> tuple[int, int] | None:
    """(preference, days to add) for the i-th date, or None when it is not about the return."""
    start, end, (_, _, _, self_range) = spans[i]
    before = t[max(spans[i - 1][1] if i else 0, start - 80):start]
    after = t[end:spans[i + 1][0] if i + 1 < len(spans) else end + 80][:80]
    if _RETURN_BEFORE.search(before):                                  # back on X, grįšiu X, wieder ab dem X
        return RETURN, 0
    if i + 1 < len(spans) and _joined(t, spans[i], spans[i + 1]):      # X is the start of a range: away from X
        return None
    if self_range or (i and _joined(t, spans[i - 1], spans[i])) or _PARTIAL_START.search(before):
        return RANGE_END, 1                                            # away through Y: back the day after
    if _RETURN_AFTER.match(after):                                     # am X wieder da, X grįšiu
        return RETURN, 0
    weak = _WEAK_FROM.search(before)
    if weak:                                                           # ab X / nuo X / from X, unless away from X
        clause = _CLAUSE_BREAK.split(before[:weak.start()])[-1] + " " + _CLAUSE_BREAK.split(after, 1)[0]
        if not _AWAY.search(clause):
            return RETURN, 0
    inclusive = bool(_INCL_BEFORE.search(before) or _INCL_AFTER.match(after))
    if inclusive or _UNTIL_BEFORE.search(before):                      # until X -> X; until and including X -> X+1
        return UNTIL, int(inclusive)
    return None


def _resolve(year: int | None, month: int, day: int, received: dt.date, extra_days: int) -> dt.date | None:
    """The stated day (no year: the next one on or after `received`) plus `extra_days`; None if implausible."""
    try:
        if year is None:
            stated = next(d for d in (_day(y, month, day) for y in (received.year, received.year + 1))
                          if d is not None and d >= received)
        else:
            stated = dt.date(year + 2000 if year < 100 else year, month, day)
        if not -MAX_BEHIND <= stated - received <= MAX_AHEAD:
            return None
        return stated + dt.timedelta(days=extra_days)
    except (ValueError, OverflowError, StopIteration):
        return None


def _day(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except (ValueError, OverflowError):
        return None
