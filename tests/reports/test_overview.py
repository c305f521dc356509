"""The overview counts a re-sent step run once, per sequence and per variant, and sequences with no mail show zeros."""
from __future__ import annotations

from sequencer.models import Sequence, SequenceStatus
from sequencer.reports.overview import sequence_funnels, variant_breakdown
from tests.reports.helpers import ab_sequence, event, sent_run


def test_funnels_and_variants_count_step_runs_not_retries(session, factory):
    seq = ab_sequence(session)
    a, b = seq.steps[0].variants
    runs = [sent_run(session, seq, factory.prospect(), 1, variant) for variant in (a, a, b)]
    event(session, "sent", runs[0])  # a soft-bounce retry of the same run
    event(session, "replied", runs[2])
    event(session, "opened", runs[1])
    session.add(Sequence(name="Quiet", status=SequenceStatus.DRAFT))
    session.flush()

    funnels = {row.name: row for row in sequence_funnels(session)}
    assert list(funnels) == ["A/B test", "Quiet"]  # ordered by name
    ab = funnels["A/B test"]
    assert (ab.enrolled, ab.counts) == (3, {"sent": 3, "opened": 1, "replied": 1})
    assert (ab.rate("replied"), ab.rate("opened")) == ("33%", "33%")
    assert (funnels["Quiet"].enrolled, funnels["Quiet"].counts, funnels["Quiet"].rate("replied")) == (0, {}, "")

    variants = [(v["name"], v["position"], v["label"], v["sent"], v["replied"]) for v in variant_breakdown(session)]
    assert variants == [("A/B test", 1, "A", 2, 0), ("A/B test", 1, "B", 1, 1)]
