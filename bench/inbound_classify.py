"""Classify the bounce corpus in-process (parse + detect + reason + recipient), and print messages per second.

    .venv/bin/python bench/inbound_classify.py [--rounds 20]

No database: this is the classifier alone (sequencer.inbound.parse + sequencer.inbound.bounces.report),
over every sample of tests/inbound/corpus/bounces plus the replies and auto-replies of tests/inbound/corpus,
so the "not a report" path is measured too. Target: at least 1,000 messages/s on one core.
"""
from __future__ import annotations

import argparse
import statistics
import time
from collections import Counter
from pathlib import Path

from sequencer.inbound.bounces.report import read_report
from sequencer.inbound.parse import parse

CORPUS = Path(__file__).resolve().parents[1] / "tests" / "inbound" / "corpus"
OURS = {"rita@sequencer.test"}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()
    raws = [p.read_bytes() for p in sorted((CORPUS / "bounces").glob("*.eml"))]
    others = [p.read_bytes() for p in sorted(CORPUS.glob("*.eml"))]
    messages = raws + others
    kinds: Counter = Counter()
    for raw in messages:  # warm-up (regex compilation, imports), and what the mix is
        report = read_report(parse(raw), OURS)
        kinds[report.kind if report else "not a report"] += 1
    rates = []
    for _ in range(args.rounds):
        start = time.perf_counter()
        for raw in messages:
            read_report(parse(raw), OURS)
        rates.append(len(messages) / (time.perf_counter() - start))
    print(f"{len(messages)} messages ({dict(kinds)}), {args.rounds} rounds")
    print(f"classified: median {statistics.median(rates):,.0f} messages/s, worst round {min(rates):,.0f} messages/s")


if __name__ == "__main__":
    main()
