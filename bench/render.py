"""Rendering within the budget: an ordinary email's render time, and time and peak memory of hostile templates.

    .venv/bin/python -m bench.render [--renders 5000]

No database. The hostile templates all save (they pass validation) and must stop at the byte budget quickly,
with a peak well under a megabyte (times include compiling, under tracemalloc) (before issue 24, ``[a] * 5000`` took the worker from 131 to 593 MB).
"""
from __future__ import annotations

import argparse
import time
import timeit
import tracemalloc

from sequencer.rendering import RenderLimitExceeded, render
from tests.rendering.helpers import ALL_VARIABLES, make_context

A = "{% set a = 'a' * 100000 %}"
HOSTILE = {
    "list bomb [a] * 5000": A + "{{ [a] * 5000 }}",
    "list bomb [a] * 199999": A + "{{ [a] * 199999 }}",
    "nested join 100 MB": A + "{% set b = [a, a, a, a, a, a, a, a, a, a] %}{% set c = [b, b, b, b, b, b, b, b, b, b] %}"
                          "{{ [c, c, c, c, c, c, c, c, c, c]|join }}",
    "'a' * 10**9": "{{ 'a' * 10 ** 9 }}",
    "output loop": "{% for i in range(10000) %}{% for j in range(10000) %}0123456789{% endfor %}{% endfor %}",
}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--renders", type=int, default=5000)
    args = parser.parse_args()
    ctx = make_context()
    best = min(timeit.repeat(lambda: render(ALL_VARIABLES, ctx, html=True), number=args.renders, repeat=5))
    print(f"ordinary email (every variable): {best / args.renders * 1e6:.1f} µs a render")
    for name, src in HOSTILE.items():
        tracemalloc.start()
        start = time.perf_counter()
        try:
            render(src, {}, html=True)
            outcome = "RENDERED (budget bypassed!)"
        except RenderLimitExceeded as exc:
            outcome = str(exc)
        elapsed = time.perf_counter() - start
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        print(f"{name:<26} {elapsed * 1000:7.1f} ms  peak {peak / 1e6:5.2f} MB  {outcome}")


if __name__ == "__main__":
    main()
