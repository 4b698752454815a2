"""Full-text search: the case-blind pattern against lower(), over several words.

bench_ingest times one word; the pattern's gain depends on the word (its first
letter's frequency, how many records match). This loads an archive from
bench/make_archive.py into the default store and, for each word, times what the events
viewer runs for a new filter (EventStore.prepare: one sort of the matching row IDs,
then the first 500 rows), with the filter as it compiles now (``regexp_like`` with a
case-blind pattern over the raw record) and as it did before (``strpos(lower(raw), ?)``),
in 9 interleaved rounds, every other one in reverse order, no sort kept between them
(two untimed field filters run in between: the store keeps the last two filters' sorts).
Prints a Markdown table of medians; asserts nothing.

    .venv/bin/python bench/bench_fulltext.py [--size 1000000] [--words a,b,c]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_ingest import LOWER_TEXT_SQL, archive  # noqa: E402

from awsir_tui.events.loader import load  # noqa: E402
from awsir_tui.events.store import EventStore  # noqa: E402
from awsir_tui.query import EVENT_FIELDS, compile_sql, parse  # noqa: E402

WORDS = "hidden_due_to_security,runinstances,i-0,s3.amazonaws,christophe"
ROUNDS = 9


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=1_000_000)
    parser.add_argument("--words", default=WORDS)
    args = parser.parse_args()
    store = EventStore()
    load([archive(args.size)], store)
    store.prepare()  # as after a load: every event's order is kept
    fillers = [compile_sql(parse(f"id:=no-such-event-{n}"), EVENT_FIELDS) for n in (1, 2)]

    def evict() -> None:
        """Two cheap filters in between: the store keeps the orders of the last two, so
        each timed query sorts afresh, as a new filter does."""
        for where, params in fillers:
            store.prepare(where, params)
    lines = [
        f"`bench/bench_fulltext.py`, {args.size:,} events, {time.strftime('%Y-%m-%d %H:%M')} "
        f"UTC, median of {ROUNDS} (ms):",
        "",
        "| word | matches | pattern ms | lower() ms | pattern / lower() |",
        "|---|---:|---:|---:|---:|",
    ]
    for word in args.words.split(","):
        queries = {"pattern": compile_sql(parse(word), EVENT_FIELDS),
                   "lower": (LOWER_TEXT_SQL, [word.lower()])}
        timings: dict[str, list[float]] = {label: [] for label in queries}
        matches: dict[str, int] = {}
        for round_ in range(ROUNDS):
            order = list(queries.items())
            for label, (where, params) in order[::-1] if round_ % 2 else order:
                evict()
                started = time.perf_counter()
                matches[label] = store.prepare(where, params)
                store.page(where, params, limit=500)
                timings[label].append((time.perf_counter() - started) * 1000)
        pattern, lower = (statistics.median(timings[k]) for k in ("pattern", "lower"))
        check = "" if matches["pattern"] == matches["lower"] else " CHECK: counts differ"
        lines.append(f"| `{word}` | {matches['pattern']:,} | {pattern:.0f} | {lower:.0f} "
                     f"| {pattern / lower:.2f}{check} |")
    store.close()
    print("\n".join(lines))


if __name__ == "__main__":
    main()
