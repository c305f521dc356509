"""The bounce corpus (tests/inbound/corpus/bounces): every sample's kind, reason, class, recipient, status and writer."""
from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from sequencer.inbound.bounces.report import read_report
from sequencer.inbound.bounces.taxonomy import REASONS
from sequencer.inbound.parse import parse

CORPUS = Path(__file__).parent / "corpus" / "bounces"
TABLE = json.loads((CORPUS / "expected.json").read_text())
OURS = {"rita@sequencer.test", "fbl-reports@sequencer.test"}


def test_the_table_covers_the_corpus_and_is_large_and_varied():
    assert set(TABLE) == {p.name for p in CORPUS.glob("*.eml")}
    assert len(TABLE) >= 150
    assert len({w["format"] for w in TABLE.values()}) >= 25
    reasons = Counter(w["reason"] for w in TABLE.values() if w["kind"] == "bounce")
    assert set(REASONS) - {"undetermined"} <= set(reasons), set(REASONS) - set(reasons)
    assert {w["kind"] for w in TABLE.values()} == {"bounce", "complaint", "success"}


@pytest.mark.parametrize("name", sorted(TABLE))
def test_sample(name):
    want = TABLE[name]
    report = read_report(parse((CORPUS / name).read_bytes()), OURS)
    assert report is not None, "not recognised as a report"
    assert report.kind == want["kind"], report
    if want["kind"] == "success":
        return
    assert report.recipients == [want["recipient"]], report
    if want["mta"] != "any":
        assert report.mta == want["mta"], report
    if want["kind"] == "complaint":
        assert report.original_message_ids, report
        return
    assert (report.reason, report.klass) == (want["reason"], want["class"]), report.diagnostic
    assert report.status == want["status"], report
