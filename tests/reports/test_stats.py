"""The comparison's statistics against scipy and a published worked example."""
from __future__ import annotations

import pytest
from scipy import integrate
from scipy.stats import beta, binomtest

from sequencer.reports.stats import prob_best, ready, wilson


@pytest.mark.parametrize("k,n", [(10, 100), (0, 20), (20, 20), (37, 412), (1, 3)])
def test_wilson_matches_scipy(k, n):
    ci = binomtest(k, n).proportion_ci(confidence_level=0.95, method="wilson")
    assert wilson(k, n) == pytest.approx((ci.low, ci.high), abs=1e-9)


def test_wilson_published_example():
    # Newcombe (1998), Table I: 81/263 → 0.2553 to 0.3662
    low, high = wilson(81, 263)
    assert (round(low, 4), round(high, 4)) == (0.2553, 0.3662)


def test_wilson_without_trials_is_empty():
    assert wilson(0, 0) == (0.0, 0.0)


def _exact_two(a: tuple[int, int], b: tuple[int, int]) -> float:
    pa, pb = beta(1 + a[0], 1 + a[1] - a[0]), beta(1 + b[0], 1 + b[1] - b[0])
    value, _ = integrate.quad(lambda x: pb.pdf(x) * pa.cdf(x), 0, 1, limit=200, points=[pa.mean(), pb.mean()])
    return value


@pytest.mark.parametrize("a,b", [((30, 300), (45, 300)), ((5, 40), (4, 40)), ((500, 100000), (560, 100000)),
                                 ((0, 10), (1, 10))])
def test_prob_best_two_arms_matches_scipy_integral(a, b):
    p = prob_best([a, b])
    assert p[1] == pytest.approx(_exact_two(a, b), abs=2e-4)
    assert sum(p) == pytest.approx(1.0)


def test_prob_best_three_arms_matches_scipy_integral():
    arms = [(12, 150), (20, 150), (15, 140)]
    dists = [beta(1 + s, 1 + n - s) for s, n in arms]
    expected = []
    for i, d in enumerate(dists):
        others = [o for j, o in enumerate(dists) if j != i]
        value, _ = integrate.quad(lambda x, d=d, others=others: d.pdf(x) * others[0].cdf(x) * others[1].cdf(x), 0, 1, limit=200)
        expected.append(value)
    assert prob_best(arms) == pytest.approx(expected, abs=3e-4)


def test_prob_best_symmetric_and_deterministic():
    assert prob_best([(10, 100), (10, 100)]) == pytest.approx([0.5, 0.5])
    assert prob_best([(3, 50), (9, 50)]) == prob_best([(3, 50), (9, 50)])
    assert prob_best([(7, 70)]) == [1.0] and prob_best([]) == []


def test_ready_needs_every_arm_at_minimum():
    assert ready([100, 120], 100) and not ready([100, 99], 100) and not ready([], 100)
