"""C during an archive load: how long from the key to the load's end, against how long
a batch takes to store (what C waited for before the loader interrupted the batch in
hand), same archive, same run.

Each round loads the archive of ``bench/make_archive.py`` into a new in-memory store (the
app's ``EventStore`` and ``loader.load``) and sets the cancel flag at a time spread over
the load (as a responder's C comes at any moment). Timed from the flag: the end of the
batches (the progress that says the store is being compressed) and the load's return.
The peer is the time each batch took to store, from the gaps between the progress
reports of the same rounds: before, C waited for the rest of the batch in hand, half a
batch on average and a whole one at worst. Prints a Markdown table; asserts nothing.

    .venv/bin/python bench/bench_cancel.py [--size 1000000] [--rounds 3]
"""

from __future__ import annotations

import argparse
import itertools
import statistics
import sys
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from make_archive import archive  # noqa: E402

from awsir_tui.events.loader import FINISHING, LoadProgress, load  # noqa: E402
from awsir_tui.events.store import EventStore  # noqa: E402


def one_round(folder: Path, cancel_after: float) -> tuple[float, float, list[float], int]:
    """(seconds from C to the batches' end, to the load's return, each batch's
    seconds, events kept)."""
    stop = threading.Event()
    ticks: list[float] = []
    finishing: list[float] = []

    def progressed(progress: LoadProgress) -> None:
        now = time.monotonic()
        if progress.stage == FINISHING:
            finishing.append(now)
        elif not stop.is_set():
            ticks.append(now)

    def cancel() -> None:
        time.sleep(cancel_after)
        pressed.append(time.monotonic())
        stop.set()

    pressed: list[float] = []
    with EventStore() as store:
        threading.Thread(target=cancel, daemon=True).start()
        report = load([folder], store, on_progress=progressed, cancel=stop)
        returned = time.monotonic()
    if not pressed:  # the load ended before the key
        return float("nan"), float("nan"), [], report.events
    # The first batches grow (1, 4, 16, 64 files): the full ones are C's usual wait.
    batches = [b - a for a, b in itertools.pairwise(ticks[4:])]
    return finishing[0] - pressed[0], returned - pressed[0], batches, report.events


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--size", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    folder = archive(args.size)
    print(f"archive: {args.size:,} events; {datetime.now(UTC):%Y-%m-%d %H:%M} UTC\n")
    print("| C after s | C to batches' end s | C to load's end s | events kept |")
    print("|---:|---:|---:|---:|")
    batches: list[float] = []
    for index in range(args.rounds):
        after = 3.0 + 6.0 * index / max(1, args.rounds - 1)
        to_end, to_return, took, kept = one_round(folder, after)
        batches += took
        print(f"| {after:.1f} | {to_end:.2f} | {to_return:.2f} | {kept:,} |")
    if batches:
        print(f"\npeer (what C waited for before): a batch took {statistics.median(batches):.2f} s "
              f"(median of {len(batches)}), {max(batches):.2f} s at most")


if __name__ == "__main__":
    main()
