"""Archive ingest: our loader against jq and plain Python on the same files, same run.

For each size (default 100k and 1M events; archives from bench/make_archive.py, made
if missing), in one run on this machine:

- ours: ``awsir_tui.events.loader.load`` into a fresh in-memory EventStore (each file
  inflated and cut into its records, which DuckDB parses into columns; see
  ``awsir_tui.events.ingest``), in a child process so that its peak memory (maxrss) is
  its own; also the time to the first stored rows; once with the default compressed
  store, once uncompressed;
- jq: ``zcat`` every file into ``jq`` selecting one event name (what a responder types);
- python: ``gzip`` + ``json.loads`` of every file (parsing only, nothing stored);
- the filter language over the loaded store (compile_sql -> count + first page, median
  of 9): a field filter, a full-text search, and a deep page (scrolling:
  the first deep page sorts once, the next ones reuse that order).

Prints a Markdown table; ``--write`` puts it in BENCHMARKS.md under "Archive ingest".
Asserts nothing: these machines are shared, so read the ratios, not the seconds.

    .venv/bin/python bench/bench_ingest.py [--sizes 100000,1000000] [--write]
    .venv/bin/python bench/bench_ingest.py --sizes 1000000 --limits 1300MB,1400MB
"""

from __future__ import annotations

import argparse
import gzip
import json
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from make_archive import OUT, archive  # noqa: E402

from awsir_tui.events.files import iter_files  # noqa: E402
from awsir_tui.events.loader import LoadProgress, load  # noqa: E402
from awsir_tui.events.store import LOAD_MEMORY_LIMIT, EventStore  # noqa: E402
from awsir_tui.query import EVENT_FIELDS, compile_sql, parse  # noqa: E402

FIELD_FILTER = "name:runinstances"
TEXT_FILTER = "hidden_due_to_security"
#: A word without letters (an IP address): searched without lower().
IP_TEXT_FILTER = "18.236.253.47"
QUERIES = {"all": "", "field": FIELD_FILTER, "text": TEXT_FILTER, "ip_text": IP_TEXT_FILTER}
#: The full-text search as compiled before the case-blind pattern (lower() copies every
#: record): timed in the same rounds as the queries, its peer.
LOWER_TEXT_SQL = ("CASE WHEN coalesce(substr(raw, 1, 1), '') = '{' "
                  "THEN strpos(lower(raw), ?) > 0 ELSE FALSE END")


def median_ms(action: Any, runs: int = 5) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def child(size: int, compress: bool, memory_limit: str | None = None) -> dict[str, Any]:
    """Our ingest and the query latencies, measured in this (child) process."""
    folder = archive(size)
    first_rows: list[float] = []
    started = time.perf_counter()

    def on_progress(progress: LoadProgress) -> None:
        if progress.events and not first_rows:
            first_rows.append(time.perf_counter() - started)

    store = EventStore(compress=compress, memory_limit=memory_limit,
                       load_memory_limit=LOAD_MEMORY_LIMIT)
    cpu = _cpu_seconds(resource.RUSAGE_SELF)
    report = load([folder], store, on_progress=on_progress)
    elapsed = time.perf_counter() - started
    cpu = _cpu_seconds(resource.RUSAGE_SELF) - cpu
    figures: dict[str, Any] = {
        "events": report.added,
        "files": report.files_read,
        "skipped": report.files_skipped,
        "ingest_s": elapsed,
        "ingest_cpu_s": cpu,
        "first_rows_s": first_rows[0] if first_rows else None,
        "maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }
    # After a load the viewer sorts every event once (in a worker); that order is kept.
    started = time.perf_counter()
    store.prepare()
    figures["sort_all_ms"] = (time.perf_counter() - started) * 1000
    # What the viewer runs for a new filter: one sort (count and order), then the first
    # block of rows by ID. Three filters take turns, so each run sorts afresh (the two
    # used last are kept, and the unfiltered order: "all" is going back to it).
    compiled = {label: compile_sql(parse(text), EVENT_FIELDS) for label, text in QUERIES.items()}
    compiled["text_lower"] = (LOWER_TEXT_SQL, [TEXT_FILTER])
    timings: dict[str, list[float]] = {label: [] for label in compiled}
    # Nine rounds, every other one in reverse order: what runs before a query (a scan
    # that brought spilled blocks back, say) must not favour one of them.
    for round_ in range(9):
        order = list(compiled.items())
        for label, (where, params) in order[::-1] if round_ % 2 else order:
            started = time.perf_counter()
            figures[f"{label}_matches"] = store.prepare(where, params)
            store.page(where, params, limit=500)
            timings[label].append((time.perf_counter() - started) * 1000)
    for label, values in timings.items():
        figures[f"{label}_ms"] = statistics.median(values)
    total = store.count()
    figures["last_page_ms"] = median_ms(lambda: store.page(limit=60, offset=total - 60))
    figures["deep_page_ms"] = median_ms(lambda: store.page(limit=60, offset=total // 2))
    figures["maxrss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    store.close()
    return figures


def _cpu_seconds(who: int) -> float:
    """User + system CPU seconds of this process (all its threads) or its children."""
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


def jq_seconds(folder: Path) -> tuple[float, float, int]:
    """zcat | jq selecting one event name over every file (a responder's one-liner):
    (wall seconds, CPU seconds of zcat and jq, matches)."""
    files = [str(p) for p in iter_files(folder)]
    cpu = _cpu_seconds(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    zcat = subprocess.Popen(["zcat", *files], stdout=subprocess.PIPE)
    jq = subprocess.run(
        ["jq", "-c", '.Records[] | select(.eventName == "RunInstances") | .eventID'],
        stdin=zcat.stdout, capture_output=True, check=True,
    )
    zcat.wait()
    wall = time.perf_counter() - started
    return wall, _cpu_seconds(resource.RUSAGE_CHILDREN) - cpu, len(jq.stdout.splitlines())


def python_seconds(folder: Path) -> tuple[float, float, int]:
    """Plain Python: gzip + json.loads of every file, counting records (nothing kept):
    (wall seconds, CPU seconds, records)."""
    cpu = time.process_time()
    started = time.perf_counter()
    count = 0
    for path in iter_files(folder):
        with gzip.open(path, "rb") as handle:
            count += len(json.load(handle)["Records"])
    return time.perf_counter() - started, time.process_time() - cpu, count


def run(sizes: list[int]) -> str:
    rows = []
    for size in sizes:
        folder = archive(size)
        # Also with an uncompressed store (up to 1M): the CPU/memory trade the default makes.
        for compress in (True, False) if size <= 1_000_000 else (True,):
            command = [sys.executable, __file__, "--child", str(size)]
            raw = subprocess.run(
                command + ([] if compress else ["--no-compress"]),
                capture_output=True, text=True, check=True,
            )
            ours = json.loads(raw.stdout.strip().splitlines()[-1])
            ours["label"] = f"{size:,}" + ("" if compress else " (uncompressed store)")
            nan = float("nan")
            jq_s, jq_cpu, jq_hits = jq_seconds(folder) if shutil.which("jq") else (nan, nan, 0)
            py_s, py_cpu, py_count = python_seconds(folder)
            rows.append((size, ours, jq_s, jq_cpu, jq_hits, py_s, py_cpu, py_count))
            print(f"{ours['label']}: done", file=sys.stderr)
    lines = [
        f"`bench/bench_ingest.py` on {platform.machine()}, Python {platform.python_version()}, "
        f"{_cores()} cores (shared with other work: compare the ratios, not the seconds), "
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC, load average {_load()} at the start. "
        "Archive from `bench/make_archive.py` "
        "(real Stratus records, new IDs and times, gzipped `{\"Records\": [...]}` files of "
        "1000 records in the S3 layout). CPU s is user + system time of all threads and "
        "processes: steadier than wall time when other work shares the cores.",
        "",
        "| events | files | MB gz | ours s | ours events/s | jq s | python gzip+json s "
        "| ours vs jq | ours vs python | first rows s | peak RSS MB "
        "| CPU s: ours / jq / python |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for size, ours, jq_s, jq_cpu, _, py_s, py_cpu, _ in rows:
        mb = sum(p.stat().st_size for p in iter_files(OUT / str(size))) / 1e6
        lines.append(
            f"| {ours['label']} | {ours['files']:,} | {mb:,.0f} | {ours['ingest_s']:.2f} "
            f"| {ours['events'] / ours['ingest_s']:,.0f} | {jq_s:.2f} | {py_s:.2f} "
            f"| {jq_s / ours['ingest_s']:.1f}x faster | {py_s / ours['ingest_s']:.2f}x "
            f"| {ours['first_rows_s']:.2f} | {ours['maxrss_mb']:,.0f} "
            f"| {ours['ingest_cpu_s']:.1f} / {jq_cpu:.1f} / {py_cpu:.1f} |"
        )
    lines += [
        "",
        "Queries over the loaded store, median of 9, each what the events viewer runs "
        "before it shows a new filter's rows: one sort of the matching row IDs (which "
        "gives the count and every page's order) and the first 500 rows by ID. The "
        "sort of every event runs once, when a load ends; \"back to all\" is returning to "
        "no filter after it. Then scrolling: a page of 60 at the end (`G`) and in the "
        "middle, from that sort. "
        "\"lower() ms\" is the same full-text search compiled as before this round, "
        "`strpos(lower(raw), ?)`, timed in the same rounds: the peer of the case-blind "
        "pattern (`regexp_like(raw, '[hH][iI]...')`) that the filter compiles to now.",
        "",
        f"| events | sort all after load ms | back to all ms | `{FIELD_FILTER}` ms (matches) "
        f"| `{TEXT_FILTER}` full text ms (matches) | lower() ms "
        f"| `{IP_TEXT_FILTER}` full text ms (matches) | `G` ms | middle page ms |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for _, ours, *_ in rows:
        lines.append(
            f"| {ours['label']} | {ours['sort_all_ms']:.0f} | {ours['all_ms']:.0f} "
            f"| {ours['field_ms']:.0f} ({ours['field_matches']:,}) "
            f"| {ours['text_ms']:.0f} ({ours['text_matches']:,}) "
            f"| {ours['text_lower_ms']:.0f} "
            f"| {ours['ip_text_ms']:.0f} ({ours['ip_text_matches']:,}) "
            f"| {ours['last_page_ms']:.0f} | {ours['deep_page_ms']:.0f} |"
        )
    for _, ours, _, _, jq_hits, _, _, py_count in rows:
        if ours["text_lower_matches"] != ours["text_matches"]:
            lines.append(f"\nCHECK {ours['label']}: full text {ours['text_matches']:,} rows, "
                         f"with lower() {ours['text_lower_matches']:,}")
        if ours["events"] != py_count or ours["field_matches"] != jq_hits:
            lines.append(
                f"\nCHECK {ours['label']}: stored {ours['events']:,} vs python {py_count:,}; "
                f"RunInstances {ours['field_matches']:,} vs jq {jq_hits:,}"
            )
    return "\n".join(lines)


def _load() -> str:
    import os

    return f"{os.getloadavg()[0]:.1f}"


def _cores() -> int:
    import os

    return len(os.sched_getaffinity(0))


def write_section(text: str) -> None:
    """Replace (or add) the "Archive ingest" section of BENCHMARKS.md, keeping the rest."""
    path = ROOT / "BENCHMARKS.md"
    current = path.read_text() if path.exists() else "# Benchmarks\n"
    heading = "## Archive ingest"
    section = f"{heading}\n\n{text}\n"
    if heading in current:
        before, _, rest = current.partition(heading)
        after = rest.split("\n## ", 1)
        tail = f"\n## {after[1]}" if len(after) > 1 else ""
        current = before + section + tail
    else:
        current = current.rstrip("\n") + "\n\n" + section
    path.write_text(current)


def limits_table(size: int, limits: list[str]) -> str:
    """The full-text / memory trade: the same load and queries under each store memory
    limit (between loads; loads keep LOAD_MEMORY_LIMIT), each in its own process."""
    lines = [
        f"Store memory limit between loads, {size:,} events (`--limits`):",
        "",
        f"| limit | ingest s | peak RSS MiB | `{TEXT_FILTER}` ms | `{IP_TEXT_FILTER}` ms |",
        "|---|---:|---:|---:|---:|",
    ]
    for limit in limits:
        raw = subprocess.run(
            [sys.executable, __file__, "--child", str(size), "--memory-limit", limit],
            capture_output=True, text=True, check=True,
        )
        ours = json.loads(raw.stdout.strip().splitlines()[-1])
        lines.append(
            f"| {limit} | {ours['ingest_s']:.1f} | {ours['maxrss_mb']:,.0f} "
            f"| {ours['text_ms']:.0f} | {ours['ip_text_ms']:.0f} |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--sizes", default="100000,1000000")
    parser.add_argument("--write", action="store_true", help="update BENCHMARKS.md")
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--no-compress", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--memory-limit", help=argparse.SUPPRESS)
    parser.add_argument(
        "--limits", help="e.g. 1300MB,1400MB: only the memory-limit trade, at --sizes' last"
    )
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child, not args.no_compress, args.memory_limit)))
        return
    if args.limits:
        print(limits_table(int(args.sizes.split(",")[-1]), args.limits.split(",")))
        return
    text = run([int(s) for s in args.sizes.split(",")])
    print(text)
    if args.write:
        write_section(text)


if __name__ == "__main__":
    main()
