"""The DNS findings an admin reads, as translatable texts: stored in English, said again in each reader's language.

A check's problems are stored as plain English sentences (JSON); `reread` matches one back to its message and
parameters, so the Deliverability page can show it in Lithuanian too (an unknown sentence stays as stored).
"""
from __future__ import annotations

import functools
import re

from sequencer.texts import Text, tr

SPF_HINT = tr(' (for %(provider)s: "v=spf1 include:%(include)s ~all")')
NO_SPF = tr("no SPF record: receivers cannot tell who may send for %(domain)s, so Gmail and Yahoo will reject bulk "
            "mail from it; publish a TXT record%(hint)s")
MANY_SPF = tr("%(count)s SPF records for %(domain)s: receivers treat that as an error (SPF fails); merge them into one")
SPF_ALL = tr("the SPF record of %(domain)s ends in +all: anyone may send as %(domain)s; use ~all or -all")
SPF_NO_INCLUDE = tr("the SPF record of %(domain)s does not include %(include)s: mail that %(provider)s sends for "
                    "%(domain)s fails SPF")
NO_DMARC = tr("no DMARC record: Gmail and Yahoo will reject bulk mail from %(domain)s")
MANY_DMARC = tr("%(count)s DMARC records at _dmarc.%(domain)s: receivers ignore them all; keep one")
DMARC_NO_POLICY = tr("the DMARC record of %(domain)s has no policy (p=): receivers ignore it; add p=none at least")
NO_MX = tr("no MX record: replies and bounces to %(domain)s cannot be delivered, and receivers distrust a domain "
           "that cannot receive mail")
NO_SELECTOR = tr("no DKIM selector known for %(domain)s: name the selector your mail server signs with, so it can "
                 "be checked (Gmail and Yahoo reject bulk mail without DKIM)")
NO_DKIM = tr("no DKIM key at %(names)s: Gmail and Yahoo will reject bulk mail from %(domain)s that is not DKIM-signed")
DKIM_REVOKED = tr("the DKIM key at %(names)s is revoked (empty p=): signatures from %(domain)s fail")
DKIM_NOT_OURS = tr("the DKIM record at %(names)s is not the key Sequencer signs with: publish the record shown on "
                   "the Deliverability page")
NO_CNAME = tr("no CNAME record for %(domain)s: point it at %(target)s so links and pixels reach Sequencer")
CNAME_ELSEWHERE = tr("%(domain)s points at %(found)s, not %(target)s: links and pixels would not reach Sequencer")
ACCEPTED_UNCHECKED = tr("accepted before its first DNS check")
CHECKED_LATER = tr("%(error)s: checked again later")
YOUR_SERVER = tr("your mail server")

KNOWN = (SPF_HINT, NO_SPF, MANY_SPF, SPF_ALL, SPF_NO_INCLUDE, NO_DMARC, MANY_DMARC, DMARC_NO_POLICY, NO_MX,
         NO_SELECTOR, NO_DKIM, DKIM_REVOKED, DKIM_NOT_OURS, NO_CNAME, CNAME_ELSEWHERE, ACCEPTED_UNCHECKED,
         CHECKED_LATER, YOUR_SERVER)


def said(text: Text, **params: object) -> Text:
    """One of the texts above with its values filled in."""
    return tr(text.msgid, **params)


@functools.lru_cache(maxsize=1)
def _patterns() -> tuple[tuple[Text, re.Pattern[str]], ...]:
    found = []
    for text in KNOWN:
        parts = re.split(r"%\((\w+)\)s", text.msgid)
        seen: set[str] = set()
        pattern = ""
        for i, part in enumerate(parts):
            if i % 2 == 0:
                pattern += re.escape(part)
            elif part in seen:
                pattern += f"(?P={part})"
            else:
                seen.add(part)
                pattern += f"(?P<{part}>.*?)"
        found.append((text, re.compile(pattern, re.DOTALL)))
    return tuple(found)


def reread(stored: object) -> object:
    """A stored English finding back as a translatable Text (its parts too); anything else unchanged."""
    if isinstance(stored, Text) or not isinstance(stored, str):
        return stored
    for text, pattern in _patterns():
        match = pattern.fullmatch(stored)
        if match:
            return tr(text.msgid, **{k: reread(v) for k, v in match.groupdict().items()})
    return stored
