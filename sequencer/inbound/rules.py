"""The readable rules that tell an auto-reply, an unsubscribe request and a reply's tone apart (EN, LT, DE).

Each rule is a regular expression over the sender's own words (quoted history removed, see
quotes.py); the first rule that fires decides, and its name is stored with the message so anyone can
see why it was classified as it was.
"""
from __future__ import annotations

import re

from sequencer.inbound.parse import Parsed

# Headers that auto-responders set (RFC 3834 Auto-Submitted, and the common non-standard ones)
_PRECEDENCE = {"auto_reply", "bulk", "junk"}

_AUTO_SUBJECT = re.compile(
    r"automatic reply|auto[- ]?reply|autoreply|auto[- ]?response|out of (the )?office|\booo\b|"
    r"away from (the )?office|on (vacation|holiday|leave)|abwesenheit|automatische antwort|nicht im büro|"
    r"außer haus|urlaub|automatinis atsakymas|nesu darbe|atostog|išvyk", re.I)
_AUTO_BODY = re.compile(
    r"this is an? auto(mated|matic)[- ]?(reply|response|message)|"
    r"^\W*(i am|i'm|i’m) (currently )?(out of (the )?office|away|on (annual |parental |sick )?(leave|vacation|holiday))|"
    r"^\W*(thank you for your (e-?mail|message)\.? )?i (am|will be) (currently )?(out of (the )?office|away)|"
    r"^\W*ich bin (derzeit |zurzeit |momentan |bis )?.{0,40}(nicht im büro|abwesend|im urlaub|außer haus)|"
    r"^\W*(šiuo metu )?(nesu darbe|atostogauju|esu išvykęs|esu išvykusi)|"
    r"automatische antwort|automatinis atsakymas|"
    r"(no longer (with|at|works? (for|at))|(has|have) left (the company|\w+)|nicht mehr (bei|für)|nebedirb)", re.I | re.M)
_LEFT_COMPANY = re.compile(
    r"no longer (with|at|works? (for|at)|employed)|(has|have) left (the company|\w+)|"
    r"nicht mehr (bei|für) .{0,40}tätig|nicht mehr im unternehmen|nebedirba|nebedirbu", re.I)

UNSUBSCRIBE_RULES: list[tuple[str, re.Pattern]] = [
    ("unsubscribe", re.compile(r"\bunsubscribe\b|\bopt[- ]?out\b", re.I)),
    ("remove me", re.compile(r"\b(remove|take) (me|my (e-?mail|address|name))\b.{0,30}\b(from|off)\b|^\W*remove me\b",
                             re.I | re.M)),
    ("stop emailing", re.compile(
        r"\b(stop|quit|cease) (e-?mailing|emailing|contacting|sending|messaging|spamming|writing)\b|"
        r"\b(do not|don't|dont|never) (e-?mail|contact|write to|message) (me|us)\b|no (more|further) e-?mails", re.I)),
    ("lt: atsisakyti", re.compile(
        r"atsisak(yti|au|ome|ykite)|nebesiųsk|nesiųskite|nebesiusk|nesiuskite|išbraukite|isbraukite|"
        r"nebe(ra)?šykite|nebekontaktuokite|nekontaktuokite", re.I)),
    ("de: abmelden", re.compile(
        r"\babmelden\b|austragen|keine (weiteren )?(e-?mails|nachrichten|mails)|"
        r"nicht mehr (kontaktieren|anschreiben|schreiben)|schreiben sie mir nicht", re.I)),
]

SENTIMENT_RULES: list[tuple[str, str, re.Pattern]] = [
    ("referral", "colleague", re.compile(
        r"not the right (person|contact)|wrong person|(talk|speak|reach out|get in touch) (to|with) (my )?(colleague|\w+ who)|"
        r"(contact|ask|email|try) my (colleague|boss|manager|team)|my colleague|(cc|cc'?ing|copying|looping in|loop in)\b|"
        r"(handles|is responsible for|owns) (this|that|these)|better (person|contact)|"
        r"kreipkitės į|mano koleg|atsakingas|atsakinga|sprechen sie (mit|bitte mit)|wenden sie sich (bitte )?an|"
        r"mein(e|em|en)? kolleg|zuständig", re.I)),
    ("negative", "not interested", re.compile(
        r"not interested|no,? thanks|no thank you|not (a|the) (good |right )?fit|(happy|satisfied) with (our|the) current|"
        r"(don't|don’t|do not) think (this|it|that) is (a|the) (good |right )?fit|decided to (stay|stick|go) with|"
        r"(we're|we are|we’re) (all )?(set|covered|good)\b|not (at this time|right now|a priority)|no need|"
        r"already (have|use|using)|no budget|nedomina|nesidom|neturime poreikio|nereikia|ne šiuo metu|"
        r"kein (interesse|bedarf)|nicht interessiert|derzeit nicht|brauchen wir nicht", re.I)),
    ("positive", "interest", re.compile(
        r"interested|sounds (good|great|interesting)|let['’]?s (talk|chat|meet|connect|set up|schedule|do)|"
        r"(happy|glad|keen|open) to (have a |take a )?(chat|talk|call|meet|learn|hear|look)|book (a|some) (call|meeting|time)|"
        r"(can|could|shall) we (do|have|set up|schedule|book) (a )?(call|chat|meeting|demo)|"
        r"how is (monday|tuesday|wednesday|thursday|friday)|send (me |us )?(over )?(a couple of |a few |some )?(times|slots)|^\W*sure\b|"
        r"(what|which) time|when are you (free|available)|send (me |over )?(more|details|info|the deck|a proposal)|"
        r"set up a (call|meeting|demo)|schedule a (call|meeting|demo)|calendar|how about (monday|tuesday|wednesday|"
        r"thursday|friday|next week)|(can|could|shall) we (talk|chat|meet|speak)|relevant (for|to) us|domina|susitik|pasikalb|paskambink|skambink|"
        r"interessant|gerne|termin|lassen sie uns|telefonieren|klingt gut", re.I)),
]


def _auto_headers(parsed: Parsed) -> str | None:
    auto = parsed.header("Auto-Submitted").lower()
    if auto and not auto.startswith("no"):
        return f"Auto-Submitted: {auto}"
    for name in ("X-Autoreply", "X-Autorespond", "X-Autoresponder"):
        if parsed.header(name):
            return name
    precedence = parsed.header("Precedence").lower()
    if precedence in _PRECEDENCE:
        return f"Precedence: {precedence}"
    return None


def auto_reply_rule(parsed: Parsed) -> str | None:
    """Why this is an auto-reply (a header, the subject or the opening words), or None."""
    found = _auto_headers(parsed)
    if found:
        return found
    if _AUTO_SUBJECT.search(parsed.subject):
        return "subject"
    if _AUTO_BODY.search(parsed.reply_text[:1500]):
        return "body"
    return None


def left_company(text: str) -> bool:
    return bool(_LEFT_COMPANY.search(text[:3000]))


def _own_words(parsed: Parsed) -> str:
    subject = re.sub(r"^((re|aw|sv|fw|fwd|wg|ats|atsk)\s*(\[\d+\])?\s*:\s*)+", "", parsed.subject, flags=re.I)
    return f"{subject}\n{parsed.reply_text[:5000]}"


def unsubscribe_rule(parsed: Parsed) -> str | None:
    words = _own_words(parsed)
    for name, pattern in UNSUBSCRIBE_RULES:
        if pattern.search(words):
            return name
    return None


def sentiment(parsed: Parsed) -> tuple[str, str | None]:
    """positive / negative / referral, or neutral; with the rule that decided."""
    words = parsed.reply_text[:5000]
    for label, name, pattern in SENTIMENT_RULES:
        if pattern.search(words):
            return label, name
    return "neutral", None
