"""An export's first look for a secret key pasted bare, against the pattern it spares.

An export must not write a secret access key, even one pasted bare beside its key ID
(a tag's value ``AKIA…,wJalr…``), which no field name marks. The pattern that finds
such a key (``_BARE_SECRET_KEY``, lookaheads over 40 base64 characters) costs tens of
microseconds a record; the first look (:func:`might_hold_bare_key`: the record's
bytes mapped so that base64's alphabet is one letter, then one substring search) lets
only a record with 40 such characters in a row reach it. This measures both, per
record, over the same records in the same run: every record of ../shared/data (real
attacks) and of the first files of the bench archive (bench/make_archive.py). Rounds
are interleaved, medians printed as a Markdown row. No speed is asserted.

    .venv/bin/python bench/bench_bare_key.py [--archive-files 40]
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

from make_archive import archive  # noqa: E402

from awsir_tui.case.secrets import _BARE_SECRET_KEY, might_hold_bare_key  # noqa: E402
from awsir_tui.events.files import iter_files, read_file  # noqa: E402

SHARED = ROOT.parent / "shared" / "data"
ROUNDS = 5


def records(archive_files: int) -> list[str]:
    """The raw text of every record of ../shared/data and of the first
    ``archive_files`` files of the 100k bench archive."""
    paths = list(iter_files(SHARED)) + sorted(iter_files(archive(100_000)))[:archive_files]
    return [event.raw for path in paths for event in read_file(path).events]


def first_look(texts: list[str]) -> int:
    """The export's first look: how many records it lets through to the pattern."""
    return sum(might_hold_bare_key(text) for text in texts)


def pattern(texts: list[str]) -> int:
    """The peer: the pattern itself on every record."""
    return sum(_BARE_SECRET_KEY.search(text) is not None for text in texts)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--archive-files", type=int, default=40)
    args = parser.parse_args()
    texts = records(args.archive_files)
    ways: dict[str, Callable[[list[str]], int]] = {"look": first_look, "pattern": pattern}
    runs: dict[str, list[float]] = {name: [] for name in ways}
    found: dict[str, int] = {}
    for round_ in range(ROUNDS):
        for name in (list(ways) if round_ % 2 == 0 else list(reversed(ways))):
            started = time.perf_counter()
            found[name] = ways[name](texts)
            runs[name].append(time.perf_counter() - started)
    each = {name: statistics.median(times) / len(texts) * 1e6 for name, times in runs.items()}
    megabytes = sum(map(len, texts)) / 1e6
    print("| records | MB | first look us/record (let through) "
          "| pattern us/record (matched) | pattern / look |")
    print("|---:|---:|---:|---:|---:|")
    print(f"| {len(texts):,} | {megabytes:.0f} | {each['look']:.2f} ({found['look']}) "
          f"| {each['pattern']:.1f} ({found['pattern']}) "
          f"| {each['pattern'] / each['look']:.0f} |")


if __name__ == "__main__":
    main()
