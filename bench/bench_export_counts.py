"""x in :indicators with events loaded: the export's counts of the loaded events naming
each indicator, taking the pane's counts of the same load (:class:`Counted`) against
counting every indicator again (what x did before), over the same store in the same
run.

Loads an archive from bench/make_archive.py into the default store as the app does
(:class:`ArchiveSource`), takes the 20 indicators bench_indicator_counts.py takes (5
each of access keys, addresses, users and instance IDs: full-text), counts them once
as the pane would, then times both ways in 5 interleaved rounds, every other one in
reverse order, and checks they give the same counts. Prints a Markdown row of medians.

    .venv/bin/python bench/bench_export_counts.py [--size 100000] [--each 5]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_indicator_counts import indicators  # noqa: E402
from make_archive import archive  # noqa: E402

from awsir_tui.case.loaded import LoadedCounts  # noqa: E402
from awsir_tui.events.naming import (  # noqa: E402
    Counted,
    load_mark,
    loaded_counts,
    loaded_naming,
    naming_filters,
)
from awsir_tui.events.sources import ArchiveSource  # noqa: E402
from awsir_tui.events.store import EventStore  # noqa: E402

ROUNDS = 5


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--each", type=int, default=5)
    args = parser.parse_args()
    source = ArchiveSource([str(archive(args.size))], EventStore())
    source.load()
    case = indicators(source.store, args.each)
    filters = naming_filters(case.indicators.values())
    mark = load_mark(source)
    pane = Counted(source, mark, filters, dict(loaded_naming(filters, source)))
    ways: dict[str, Callable[[], LoadedCounts]] = {
        "counted again": lambda: loaded_counts(case.indicators.values(), source),
        "the pane's taken": lambda: loaded_counts(case.indicators.values(), source, pane),
    }
    times: dict[str, list[float]] = {name: [] for name in ways}
    answers: dict[str, LoadedCounts] = {}
    for round_ in range(ROUNDS):
        order = list(ways) if round_ % 2 == 0 else list(reversed(ways))
        for name in order:
            started = time.perf_counter()
            answers[name] = ways[name]()
            times[name].append(time.perf_counter() - started)
    assert len({repr(answer) for answer in answers.values()}) == 1, answers
    again, taken = (statistics.median(times[name]) for name in ways)
    print("| events | indicators | counted again (s) | the pane's taken (s) | again / taken |")
    print("|---|---|---|---|---|")
    print(f"| {source.store.count():,} | {len(filters)} | {again:.2f} | {taken:.4f} "
          f"| {again / taken:,.0f}x |")
    source.close()


if __name__ == "__main__":
    main()
