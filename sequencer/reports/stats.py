"""The statistics behind the A/B comparison: Wilson intervals and the Beta-Binomial probability to be best.

`prob_best` integrates the posteriors numerically (no sampling, so the same counts always give the
same answer): with a uniform Beta(1, 1) prior each variant's rate is Beta(1 + s, 1 + n - s), and
P(i is best) = ∫ pdf_i(x) · Π_{j≠i} CDF_j(x) dx. The grid covers ±10 posterior standard deviations
around the means, where all the mass is, so narrow posteriors (large samples) stay accurate.
"""
from __future__ import annotations

import math
from collections.abc import Sequence

Z95 = 1.959963984540054  # two-sided 95% normal quantile
GRID = 2000


def wilson(successes: int, trials: int, z: float = Z95) -> tuple[float, float]:
    """95% Wilson score interval for a proportion; (0, 0) without trials."""
    if trials <= 0:
        return 0.0, 0.0
    p = successes / trials
    denom = 1 + z * z / trials
    centre = (p + z * z / (2 * trials)) / denom
    half = z * math.sqrt(p * (1 - p) / trials + z * z / (4 * trials * trials)) / denom
    return max(0.0, centre - half), min(1.0, centre + half)


def _posterior(successes: int, trials: int) -> tuple[float, float]:
    return 1.0 + successes, 1.0 + max(trials - successes, 0)


def _log_pdf(x: float, a: float, b: float, log_norm: float) -> float:
    return (a - 1) * math.log(x) + (b - 1) * math.log1p(-x) - log_norm


def prob_best(arms: Sequence[tuple[int, int]]) -> list[float]:
    """P(each arm has the highest true rate), arms given as (successes, trials); sums to 1."""
    if not arms:
        return []
    if len(arms) == 1:
        return [1.0]
    params = [_posterior(s, n) for s, n in arms]
    lo, hi = 1.0, 0.0
    for a, b in params:
        mean, sd = a / (a + b), math.sqrt(a * b / ((a + b) ** 2 * (a + b + 1)))
        lo, hi = min(lo, mean - 10 * sd), max(hi, mean + 10 * sd)
    lo, hi = max(lo, 1e-12), min(hi, 1 - 1e-12)
    step = (hi - lo) / GRID
    xs = [lo + (i + 0.5) * step for i in range(GRID)]  # midpoints: never exactly 0 or 1
    pdfs, cdfs = [], []
    for a, b in params:
        log_norm = math.lgamma(a) + math.lgamma(b) - math.lgamma(a + b)
        pdf = [math.exp(_log_pdf(x, a, b, log_norm)) for x in xs]
        cdf, acc = [], 0.0
        for d in pdf:  # CDF at each midpoint: mass of the cells before it plus half its own
            cdf.append(acc + d * step / 2)
            acc += d * step
        pdfs.append(pdf)
        cdfs.append([c / acc for c in cdf] if acc else cdf)
    raw = []
    for i in range(len(params)):
        total = 0.0
        for k in range(GRID):
            others = 1.0
            for j in range(len(params)):
                if j != i:
                    others *= cdfs[j][k]
            total += pdfs[i][k] * others
        raw.append(total * step)
    norm = sum(raw)
    return [r / norm for r in raw] if norm else [1 / len(raw)] * len(raw)


def ready(trials: Sequence[int], min_sample: int) -> bool:
    """Every arm has reached the minimum sample: only then may a winner be called."""
    return bool(trials) and all(n >= min_sample for n in trials)
