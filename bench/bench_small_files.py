"""Small log files: the fast path (records cut into one lines file per batch, read by
DuckDB) against the Python readers, on the same files in the same run.

CloudTrail writes a file per region every few minutes, most of a few events; DuckDB
pays about half a millisecond per file it reads. This writes an archive of files of
``--per-file`` events with bench/make_archive.py (real Stratus records, new IDs and
times; default 12,500 events in files of 5), loads it into a fresh in-memory store with
``load(fast=True)`` and ``load(fast=False)`` in interleaved rounds (every other round in
reverse order), and prints the medians as a Markdown row. Checks only that both
paths loaded every event; no speed is asserted.

    .venv/bin/python bench/bench_small_files.py [--events 12500] [--per-file 5]
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

from make_archive import make  # noqa: E402

from awsir_tui.events.loader import load  # noqa: E402
from awsir_tui.events.store import EventStore  # noqa: E402

ROUNDS = 5


def timed_load(folder: Path, fast: bool) -> tuple[float, float, int]:
    """(wall s, CPU s, events) of one load of ``folder`` into a fresh store."""
    with EventStore() as store:
        wall, cpu = time.perf_counter(), time.process_time()
        report = load([folder], store, fast=fast)
        return time.perf_counter() - wall, time.process_time() - cpu, report.events


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=12_500)
    parser.add_argument("--per-file", type=int, default=5)
    args = parser.parse_args()
    folder = ROOT / "bench" / "out" / f"small-{args.events}-{args.per_file}"
    if not folder.exists():
        make(args.events, folder, per_file=args.per_file)
    files = sum(1 for p in folder.rglob("*.json.gz"))
    runs: dict[bool, list[tuple[float, float, int]]] = {True: [], False: []}
    for round_ in range(ROUNDS):
        for fast in (True, False) if round_ % 2 == 0 else (False, True):
            runs[fast].append(timed_load(folder, fast))
    wall = {fast: statistics.median(r[0] for r in runs[fast]) for fast in runs}
    cpu = {fast: statistics.median(r[1] for r in runs[fast]) for fast in runs}
    assert {r[2] for r in runs[True] + runs[False]} == {args.events}
    print("| events | files | fast path s (CPU s) | Python readers s (CPU s) | fast / Python |")
    print("|---:|---:|---:|---:|---:|")
    print(f"| {args.events:,} | {files:,} | {wall[True]:.2f} ({cpu[True]:.2f}) | "
          f"{wall[False]:.2f} ({cpu[False]:.2f}) | {wall[True] / wall[False]:.2f} |")


if __name__ == "__main__":
    main()
