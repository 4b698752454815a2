"""Exporting events as JSON lines: the app's export (secrets redacted) against writing
the same stream's raw records with no redaction at all, in the same run.

The export (``x`` in the events view, ``awsir-tui events --format jsonl``) must not
write a secret, so each record is looked at; one that might hold one is parsed and
walked. The peer streams the same events from the same store and writes each raw
record as is: the floor, so the ratio is what redaction costs. The archive is
bench/make_archive.py's (real Stratus records, new IDs and times), loaded once; rounds
are interleaved, medians printed as a Markdown row. No speed is asserted.

    .venv/bin/python bench/bench_export.py [--events 100000]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from make_archive import archive  # noqa: E402

from awsir_tui.case.store import atomic_output  # noqa: E402
from awsir_tui.events.event_export import write_events  # noqa: E402
from awsir_tui.events.loader import load  # noqa: E402
from awsir_tui.events.store import EventStore  # noqa: E402

ROUNDS = 3
ORDER = "event_time DESC"  # the events view's order


def export(store: EventStore, path: Path) -> int:
    """The app's JSON lines export of every event."""
    return write_events(store.events(order=ORDER), path, "jsonl")


def raw_lines(store: EventStore, path: Path) -> int:
    """The peer: the same stream, each raw record written as is, to a file made the
    same way (a temporary file, fsynced, renamed)."""
    count = 0
    with atomic_output(path, newline="") as out:
        for event in store.events(order=ORDER):
            out.write(event.raw + "\n")
            count += 1
    return count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=100_000)
    args = parser.parse_args()
    folder = archive(args.events)
    ways: dict[str, Callable[[EventStore, Path], int]] = {
        "export": export, "raw": raw_lines,
    }
    runs: dict[str, list[float]] = {name: [] for name in ways}
    with EventStore() as store, tempfile.TemporaryDirectory() as scratch:
        load([folder], store)
        for round_ in range(ROUNDS):
            names = list(ways) if round_ % 2 == 0 else list(reversed(ways))
            for name in names:
                started = time.perf_counter()
                count = ways[name](store, Path(scratch) / f"{name}.jsonl")
                runs[name].append(time.perf_counter() - started)
                assert count == args.events
    median = {name: statistics.median(times) for name, times in runs.items()}
    print("| events | export s (events/s) | raw records s | export / raw |")
    print("|---:|---:|---:|---:|")
    print(f"| {args.events:,} | {median['export']:.2f} ({args.events / median['export']:,.0f}) "
          f"| {median['raw']:.2f} | {median['export'] / median['raw']:.2f} |")


if __name__ == "__main__":
    main()
