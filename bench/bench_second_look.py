"""A second look: the same ``--source`` loaded again into its ``--store`` file.

A responder quits (or the SSH session drops) and starts again with the same command.
The store keeps which files its loads read whole (``awsir_tui/events/read_before.py``),
so the second load lists the archive and reads nothing it holds. Its peer, in the same
run, is what the app did before: the second load reading every file again, the copies
dropped as duplicates (the same code with the store's list of files read emptied first).

Each load runs in a child process (a new session), on the archive of
``bench/make_archive.py``: the first load into a new store file, then the second look
both ways, interleaved over the rounds. Prints a Markdown table of medians; asserts
nothing: read the ratio, not the seconds.

    .venv/bin/python bench/bench_second_look.py [--size 1000000] [--rounds 2]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_store_file import child_figures  # noqa: E402
from make_archive import archive  # noqa: E402

from awsir_tui.events.loader import load  # noqa: E402
from awsir_tui.events.store import EventStore  # noqa: E402

#: The second look as the app does it now, and as it did before (every file read again).
WAYS = ("held files skipped", "every file read again")


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def child(size: int, path: Path, forget: bool) -> dict[str, Any]:
    """One session's load of the archive into the store file ``path``; ``forget``: the
    store's list of files read emptied first (the peer)."""
    store = EventStore(str(path))
    if forget:
        store.cursor().execute("DELETE FROM files_read")
    started, cpu = time.perf_counter(), _cpu()
    report = load([archive(size)], store)
    figures = {"s": time.perf_counter() - started, "cpu_s": _cpu() - cpu,
               "read": report.files_read, "held": report.read_before,
               "added": report.added, "events": store.count()}
    store.close()
    return figures


def run(size: int, rounds: int) -> str:
    results: dict[str, list[dict[str, Any]]] = {way: [] for way in WAYS}
    firsts: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="bench-second-") as scratch:
        first = Path(scratch) / "first.duckdb"
        firsts.append(child_figures(__file__, "--child", str(first), "--size", str(size)))
        for round_ in range(rounds):
            for way in WAYS if round_ % 2 == 0 else WAYS[::-1]:
                copy = Path(scratch) / "again.duckdb"
                shutil.copyfile(first, copy)
                forget = ["--forget"] if way == WAYS[1] else []
                results[way].append(child_figures(__file__, "--child", str(copy),
                                                  "--size", str(size), *forget))
                copy.unlink()

    def median(way: str, key: str) -> float:
        return statistics.median(r[key] for r in results[way])

    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        f"{size:,} events, first load {firsts[0]['s']:.1f} s ({firsts[0]['cpu_s']:.1f} CPU s, "
        f"{firsts[0]['read']:,} files); the second look, {rounds} interleaved rounds "
        f"(median), {stamp}, load average {os.getloadavg()[0]:.1f}:",
        "",
        "| second look | s (CPU s) | files read | files held | events added | events in store |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for way in WAYS:
        last = results[way][-1]
        lines.append(f"| {way} | {median(way, 's'):.2f} ({median(way, 'cpu_s'):.2f}) | "
                     f"{last['read']:,} | {last['held']:,} | {last['added']:,} | "
                     f"{last['events']:,} |")
    ratio = median(WAYS[1], "s") / max(median(WAYS[0], "s"), 1e-9)
    lines += ["", f"Held files skipped: {ratio:,.0f}x faster than reading every file again."]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--child", type=Path)
    parser.add_argument("--forget", action="store_true")
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.size, args.child, args.forget)))
        return
    print(run(args.size, args.rounds))


if __name__ == "__main__":
    main()
