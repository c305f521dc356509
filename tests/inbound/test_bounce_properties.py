"""Classification never raises and always answers with a known kind and class, whatever the bytes."""
from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings, strategies as st

from sequencer.inbound.bounces.report import read_report
from sequencer.inbound.bounces.taxonomy import CLASSES, REASONS, classify_reply
from sequencer.inbound.parse import parse

SAMPLES = sorted((Path(__file__).parent / "corpus" / "bounces").glob("*.eml"))
KINDS = {"bounce", "complaint", "success"}


def _check(raw: bytes) -> None:
    report = read_report(parse(raw), {"rita@sequencer.test"})
    if report is None:
        return
    assert report.kind in KINDS
    assert report.reason in REASONS or report.kind != "bounce"
    assert report.klass in CLASSES if report.kind == "bounce" else True
    assert all("@" in r for r in report.recipients)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=4000))
def test_arbitrary_bytes(raw):
    _check(raw)


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(SAMPLES), st.integers(0, 20_000), st.binary(max_size=200), st.integers(0, 20_000))
def test_damaged_real_reports(path, cut, junk, at):
    """A corpus sample cut short, or with junk bytes spliced in (a broken boundary, a mangled header)."""
    raw = path.read_bytes()
    _check(raw[:cut])
    _check(raw[:at] + junk + raw[at:])


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=500))
def test_smtp_replies(text):
    reason, klass, status = classify_reply(text)
    assert reason in REASONS and klass in CLASSES
    assert status is None or status[0] in "245"
