"""A store kept on disk (``--store FILE``): the raw records with zstd against DuckDB's
default for strings (a dictionary with FSST), on the same archive, same run.

For each round, and each way of keeping the raw records, in turn: one child process
loads the archive of ``bench/make_archive.py`` into a new store file (the app's
``EventStore(path)`` and ``loader.load``), then searches it as the events viewer does
for a new filter (sort the matching row IDs, read the first 500 rows; median of 5);
a second child reopens the file (a case opened again the next day) and searches it
the same way. The peer's file is made with the same columns, but the raw records left
to DuckDB's default; the loader and the store are the same code. Prints a Markdown
table; asserts nothing: read the ratios, not the seconds.

    .venv/bin/python bench/bench_store_file.py [--size 1000000] [--rounds 2]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from make_archive import archive  # noqa: E402

from awsir_tui.events.loader import load  # noqa: E402
from awsir_tui.events.store import COLUMNS, EventStore  # noqa: E402
from awsir_tui.query import EVENT_FIELDS, compile_sql, parse  # noqa: E402

#: A full-text search (a word), one with no letters (an IP), and a field filter.
SEARCHES = ("hidden_due_to_security", "18.236.253.47", "name:runinstances")
WAYS = ("zstd", "default")


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _searches(store: EventStore) -> dict[str, float]:
    """Each search as the viewer runs a new filter, median of 5 (two filters used in
    between each time: the store keeps the orders of the last two)."""
    others = [compile_sql(parse(f"name:nothing{n}"), EVENT_FIELDS) for n in (1, 2)]
    figures: dict[str, float] = {}
    for text in SEARCHES:
        where, params = compile_sql(parse(text), EVENT_FIELDS)
        times = []
        for _ in range(5):
            started = time.perf_counter()
            store.prepare(where, params)
            store.page(where, params, limit=500)
            times.append((time.perf_counter() - started) * 1000)
            for where_other, params_other in others:
                store.prepare(where_other, params_other)
        figures[text] = statistics.median(times)
    return figures


def _peer_file(path: Path) -> None:
    """A store file whose raw records DuckDB compresses its own way (before zstd)."""
    import duckdb

    con = duckdb.connect(str(path))
    con.execute(
        "CREATE TABLE events (" + ", ".join(f"{n} {k}" for n, k in COLUMNS.items()) + ")")
    con.close()


def child_load(size: int, way: str, path: Path) -> dict[str, Any]:
    if way == "default":
        _peer_file(path)
    store = EventStore(path)
    started, cpu = time.perf_counter(), _cpu()
    report = load([archive(size)], store)
    figures: dict[str, Any] = {
        "events": report.added,
        "load_s": time.perf_counter() - started,
        "load_cpu_s": _cpu() - cpu,
    }
    store.prepare()  # what the viewer does once a load ends
    figures["after_load_ms"] = _searches(store)
    figures["peak_mib"] = _peak_mib()
    store.close()
    figures["file_mb"] = path.stat().st_size / 1e6
    return figures


def child_reopen(path: Path) -> dict[str, Any]:
    store = EventStore(path)
    store.prepare()
    figures = {"reopened_ms": _searches(store), "reopened_peak_mib": _peak_mib()}
    store.close()
    return figures


def child_figures(script: str, *args: str) -> dict[str, Any]:
    """``script`` run with ``args`` in a new process (a new session, its own peak
    memory): the figures it prints as JSON on its last line."""
    done = subprocess.run([sys.executable, script, *args],
                          capture_output=True, text=True, check=True)
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def run(size: int, rounds: int) -> str:
    results: dict[str, list[dict[str, Any]]] = {way: [] for way in WAYS}
    with tempfile.TemporaryDirectory(prefix="bench-store-") as scratch:
        for round_ in range(rounds):
            for way in WAYS if round_ % 2 == 0 else WAYS[::-1]:
                path = Path(scratch) / f"{way}-{round_}.duckdb"
                figures = child_figures(__file__, "--child-load", way, str(path),
                                        "--size", str(size))
                figures.update(child_figures(__file__, "--child-reopen", str(path)))
                results[way].append(figures)
                path.unlink()

    def median(way: str, key: str, search: str | None = None) -> float:
        values = [r[key][search] if search else r[key] for r in results[way]]
        return statistics.median(values)

    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        f"{size:,} events, {rounds} interleaved rounds (median), {stamp}, "
        f"load average {os.getloadavg()[0]:.1f}:",
        "",
        "| raw records | load s (CPU s) | file MB | peak RSS MiB | "
        + " | ".join(f"`{s}` ms after load / reopened" for s in SEARCHES) + " |",
        "|---|---:|---:|---:|" + "---:|" * len(SEARCHES),
    ]
    for way in WAYS:
        searches = " | ".join(
            f"{median(way, 'after_load_ms', s):.0f} / {median(way, 'reopened_ms', s):.0f}"
            for s in SEARCHES)
        lines.append(
            f"| {'zstd (the app)' if way == 'zstd' else 'DuckDB default (peer)'} "
            f"| {median(way, 'load_s'):.1f} ({median(way, 'load_cpu_s'):.1f}) "
            f"| {median(way, 'file_mb'):.0f} | {median(way, 'peak_mib'):,.0f} | {searches} |")
    ratio = median("zstd", "load_s") / median("default", "load_s")
    size_ratio = median("zstd", "file_mb") / median("default", "file_mb")
    lines += ["", f"zstd / default: load {ratio:.2f}x the time, file {size_ratio:.2f}x the size."]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--size", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--child-load", nargs=2, metavar=("WAY", "PATH"),
                        help=argparse.SUPPRESS)
    parser.add_argument("--child-reopen", metavar="PATH", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child_load:
        way, path = args.child_load
        print(json.dumps(child_load(args.size, way, Path(path))))
    elif args.child_reopen:
        print(json.dumps(child_reopen(Path(args.child_reopen))))
    else:
        print(run(args.size, args.rounds))


if __name__ == "__main__":
    main()
