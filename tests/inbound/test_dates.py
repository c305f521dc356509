"""The return day read from out-of-office texts (EN/LT/DE): a table of real-looking replies, and never raising."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings, strategies as st

from sequencer.inbound.dates import return_date

DEC10 = date(2026, 12, 10)   # when most of the replies below arrived
DEC18 = date(2026, 12, 18)

DANA = """Automatic reply: Quick question about Acme's month-end close

Hi,

Thank you for your email. I am out of the office with limited access to email and will be back on
Monday, January 4th, 2027. For anything urgent please contact finance-team@acme-corp.test.

Best regards,
Dana

On Mon, 7 Dec 2026 at 09:12, Rita Rep <rita@sequencer.test> wrote:
> Hi Dana, I'll be back in the office on December 15th - could we talk then?
"""

TOM = """Out of Office: Widgetco's AP backlog

I'm currently on annual leave until 8 January 2027 inclusive, with no access to email.

Kind regards
Tom Baker
________________________________
From: Rita Rep <rita@sequencer.test>
Sent: Wednesday, December 9, 2026 10:05 AM
To: Tom Baker
Subject: Widgetco's AP backlog

Would Thursday, December 17 work for a call? I am back on 17 December.
"""

EVE = """Re: Acme's vendor payments

Thanks for your message. I'm out until Jan 4 and will respond when I return.

-----Original Message-----
From: Rita Rep
Sent: Monday, December 7, 2026
I'll be back on 10 December, happy to talk after that.
"""

SARUNAS = """Automatinis atsakymas: Sandėlio apskaita – Baltic Logistics

Laba diena,
šiuo metu atostogauju, į darbą grįšiu 2027 m. sausio 5 d.
Skubiais klausimais kreipkitės info@baltic-logistics.test.

2026-12-08 08:05, Rita Rep <rita@sequencer.test> rašė:
> Ar galėtume pasikalbėti gruodžio 15 d.? Aš grįšiu gruodžio 14 d.
"""

JUERGEN = """Abwesenheitsnotiz: Frage zum Monatsabschluss bei Nordwerk

Sehr geehrte Damen und Herren,

vielen Dank für Ihre Nachricht. Ich bin vom 21.12. bis einschließlich 04.01.2027 nicht im Büro und ab dem
05.01.2027 wieder erreichbar. In dringenden Fällen wenden Sie sich bitte an zentrale@nordwerk.test.

Mit freundlichen Grüßen
Jürgen Müller

Am 08.12.2026 um 08:30 schrieb Rita Rep <rita@sequencer.test>:
> Hätten Sie am 15.12. Zeit? Ich bin ab dem 14.12. wieder im Büro.
"""

LAURA = """Automatic reply: Closing the books faster at Example Retail

I am on holiday between 21 December and 4 January. Your email will not be forwarded.

> On 9 Dec 2026, Rita wrote: I am back on 11 December.
"""

CASES = [
    # --- English: return phrases
    ("I will be back on Monday, January 4th, 2027.", DEC10, date(2027, 1, 4)),
    ("I'll be back on 5 January.", DEC10, date(2027, 1, 5)),
    ("Back on January 5", DEC10, date(2027, 1, 5)),
    ("I will be back in the office on the 5th of January.", DEC10, date(2027, 1, 5)),
    ("Returning 2027-01-05.", DEC10, date(2027, 1, 5)),
    ("I'll be back in the office on Jan. 5. Please expect a delayed response.", DEC10, date(2027, 1, 5)),
    ("I will be in the office again on 6 Jan 2027.", DEC10, date(2027, 1, 6)),
    ("I will be available again from 11 January 2027.", DEC10, date(2027, 1, 11)),
    ("As of 11 January you can reach me on my usual number.", DEC10, date(2027, 1, 11)),
    ("I'm at a conference, back Sept 7.", date(2027, 8, 20), date(2027, 9, 7)),
    ("I am out of the office from Monday 21 December 2026 and will return on Monday 4 January 2027.", DEC10,
     date(2027, 1, 4)),
    # --- English: until / inclusive / ranges
    ("I am out of the office until 4 January.", DEC10, date(2027, 1, 4)),
    ("I am out of the office till 3rd Jan.", DEC10, date(2027, 1, 3)),
    ("I'm on leave until and including 8 January.", DEC10, date(2027, 1, 9)),
    ("I am out of the office through January 8.", DEC10, date(2027, 1, 9)),
    ("Away to 8 January inclusive.", DEC10, date(2027, 1, 9)),
    ("I'm away from 21 December to 4 January.", DEC10, date(2027, 1, 5)),
    ("Out of office December 21 - January 4.", DEC10, date(2027, 1, 5)),
    ("Out of office from Monday, 21 December to Monday, 4 January.", DEC10, date(2027, 1, 5)),
    ("Out of office Dec 21 – Jan 4, back Jan 6.", DEC10, date(2027, 1, 6)),   # a return phrase beats a range
    ("Out of the office December 21-24.", DEC18, date(2026, 12, 25)),
    ("Out of the office from 21 to 24 December.", DEC18, date(2026, 12, 25)),
    ("Out of the office between the 21st and 24th December.", DEC18, date(2026, 12, 25)),
    ("Please call room 12 until 5 January.", DEC10, date(2027, 1, 5)),           # a bare number is no range start
    # --- numerics: day first, US only when it cannot be day first
    ("I'll be back on 14/01/2027.", DEC10, date(2027, 1, 14)),
    ("I'll be back on 01/14/2027.", DEC10, date(2027, 1, 14)),
    ("I'll be back on 05/01/2027.", DEC10, date(2027, 1, 5)),
    ("Back on 1/5/27.", DEC10, date(2027, 5, 1)),
    ("I will return on 12/21.", DEC18, date(2026, 12, 21)),
    ("Out until 12/01.", date(2026, 12, 28), date(2027, 1, 12)),
    # --- year rollover and plausibility
    ("Back on 4 January.", date(2026, 12, 28), date(2027, 1, 4)),
    ("Back on 4 January.", date(2027, 1, 2), date(2027, 1, 4)),
    ("Back on 4 January 2026.", date(2026, 12, 28), None),                  # a typo'd year, far in the past
    ("Back on 5 January 2029.", DEC10, None),                                # more than a year out
    ("Back on 5 January 2029. Out of office until 4 January.", DEC10, date(2027, 1, 4)),
    # --- no date stated
    ("I am currently out of the office with limited access to email. I will respond as soon as possible.", DEC10,
     None),
    ("I'll be back on Monday.", DEC10, None),
    ("I am on parental leave until further notice.", DEC10, None),
    ("I am out of the office from 21 December.", DEC10, None),              # only when the absence starts
    ("", DEC10, None),
    # --- Lithuanian
    ("Grįšiu sausio 5 d.", date(2026, 12, 28), date(2027, 1, 5)),
    ("grisiu sausio 5 d.", DEC10, date(2027, 1, 5)),
    ("Grįšiu 2027 m. sausio 5 d.", DEC10, date(2027, 1, 5)),
    ("Būsiu darbe nuo sausio 5 d.", DEC10, date(2027, 1, 5)),
    ("Sausio 5 d. grįšiu į darbą.", DEC10, date(2027, 1, 5)),
    ("Esu atostogose iki 2027-01-11.", DEC10, date(2027, 1, 11)),
    ("Esu atostogose iki sausio 11 d.", DEC10, date(2027, 1, 11)),
    ("Atostogauju iki sausio 8 d. imtinai.", DEC10, date(2027, 1, 9)),
    ("Nuo gruodžio 21 d. iki sausio 4 d. būsiu atostogose.", DEC10, date(2027, 1, 5)),
    ("Sveiki, nesu darbe nuo 12-21 iki 01-04. Skubiais klausimais skambinkite +370 612 34567.", DEC10,
     date(2027, 1, 5)),
    ("Nuo vasario 1 d. vėl būsiu darbe.", date(2027, 1, 20), date(2027, 2, 1)),
    ("Nebūsiu darbe nuo gruodžio 21 d.", DEC10, None),
    ("Nuo sausio 11 d. dirbu įprastai.", DEC10, date(2027, 1, 11)),
    # --- German
    ("Ab dem 05.01.2027 bin ich wieder im Büro.", DEC10, date(2027, 1, 5)),
    ("Ab 5. Januar wieder erreichbar.", DEC10, date(2027, 1, 5)),
    ("Ab dem 11.01.2027 erreichen Sie mich unter +49 30 1234567.", DEC10, date(2027, 1, 11)),
    ("Ich bin bis zum 04.01.2027 nicht im Büro.", DEC10, date(2027, 1, 4)),
    ("Ich bin bis 4. Januar nicht erreichbar.", DEC10, date(2027, 1, 4)),
    ("Ich bin bis einschließlich 8. Januar im Urlaub.", DEC10, date(2027, 1, 9)),
    ("Abwesend bis einschl. 08.01.", DEC10, date(2027, 1, 9)),
    ("Ich bin vom 21.12. bis 04.01. im Urlaub.", DEC10, date(2027, 1, 5)),
    ("Urlaub 21.12.–04.01.2027", DEC10, date(2027, 1, 5)),
    ("Vom 23. bis 31. Dezember bin ich nicht im Büro.", DEC18, date(2027, 1, 1)),
    ("Ich bin ab dem 21.12. im Urlaub und am 7. Januar wieder da.", DEC10, date(2027, 1, 7)),
    ("Ich bin ab dem 21.12. im Urlaub.", DEC10, None),
    ("Ich bin bis 6. Jänner nicht erreichbar.", DEC10, date(2027, 1, 6)),
    ("Ich bin bis zum 2. Maerz in Elternzeit.", date(2027, 2, 10), date(2027, 3, 2)),
    ("Ich bin heute bis 17.30 Uhr in Meetings.", DEC10, None),                # a time, not a date
    # --- whole auto-replies with a quoted original (and its own dates) below
    (DANA, DEC10, date(2027, 1, 4)),
    (TOM, DEC10, date(2027, 1, 9)),
    (EVE, DEC10, date(2027, 1, 4)),
    (SARUNAS, DEC10, date(2027, 1, 5)),
    (JUERGEN, DEC10, date(2027, 1, 5)),
    (LAURA, DEC10, date(2027, 1, 5)),
    ("Out of office until 4 January.\n> I will be back on 15 December.\n", DEC10, date(2027, 1, 4)),
]


@pytest.mark.parametrize(("text", "received", "expected"), CASES,
                         ids=[f"{i:02d}-{text.strip().splitlines()[0][:40] if text.strip() else 'empty'}"
                              for i, (text, _r, _e) in enumerate(CASES)])
def test_return_date(text: str, received: date, expected: date | None) -> None:
    assert return_date(text, received) == expected


def test_only_the_top_of_a_long_reply_is_read() -> None:
    filler = "Lorem ipsum dolor sit amet. " * 200
    assert return_date(filler + "I'll be back on 5 January.", DEC10) is None
    assert return_date("I'll be back on 5 January. " + filler * 100, DEC10) == date(2027, 1, 5)


WORDS = ["back on", "until", "bis", "iki", "nuo", "ab dem", "from", "to", "-", "–", "inclusive", "imtinai", "grįšiu",
         "wieder", "between", "and", "5", "21.", "12/01", "01/14/2027", "2027-01-05", "12-21", "31.02.", "January",
         "Jänner", "sausio", "d.", "2027 m.", "4th", "of", "Monday,", "> ", "\n", "On Mon wrote:", "29", "Feb", "9999"]


@settings(max_examples=300, deadline=None)
@given(text=st.text(), received=st.dates())
def test_arbitrary_text_never_raises(text: str, received: date) -> None:
    assert return_date(text, received) is None or isinstance(return_date(text, received), date)


@settings(max_examples=500, deadline=None)
@given(parts=st.lists(st.sampled_from(WORDS) | st.text(max_size=4), max_size=30), received=st.dates())
def test_date_like_soup_never_raises_and_stays_plausible(parts: list[str], received: date) -> None:
    found = return_date(" ".join(parts), received)
    if found is not None:
        assert received - timedelta(days=7) <= found <= received + timedelta(days=367)
