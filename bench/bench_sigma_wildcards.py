"""A Sigma value with ``*`` between pieces (``*a*b*``) over a field an attacker filled
with the first piece and not the second, against the same value matched as its regular
expression (``.*a.*b.*`` whole), as the rules did before.

The expression tries each ``a`` against the rest, so its time grows with the square of
the field's length; the pieces found in order grow with the length. Both are timed in
turn, round by round, for sizes that double, and printed as a Markdown table with
their ratio. No speed is asserted.

    .venv/bin/python bench/bench_sigma_wildcards.py
"""

from __future__ import annotations

import re
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sigma.types import SigmaString  # noqa: E402

from awsir_tui.detect.sigma_eval import _string_test  # noqa: E402

ROUNDS = 3
SIZES = (5_000, 10_000, 20_000)
VALUE = SigmaString("*a*b*")


def seconds(test: Callable[[str], bool], text: str) -> float:
    started = time.perf_counter()
    test(text)
    return time.perf_counter() - started


def main() -> None:
    pieces = _string_test(VALUE)
    pattern = re.compile(str(VALUE.to_regex().regexp), re.DOTALL | re.IGNORECASE)

    def regex(text: str) -> bool:
        return pattern.fullmatch(text) is not None

    print("| field (chars of `a`) | pieces in order ms | regular expression ms | regex / pieces |")
    print("|---:|---:|---:|---:|")
    for size in SIZES:
        text = "a" * size
        runs = [(seconds(pieces, text), seconds(regex, text)) for _ in range(ROUNDS)]
        ours = statistics.median(run[0] for run in runs)
        theirs = statistics.median(run[1] for run in runs)
        print(f"| {size:,} | {ours * 1e3:.3f} | {theirs * 1e3:.1f} | {theirs / ours:,.0f} |")


if __name__ == "__main__":
    main()
