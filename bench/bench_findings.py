"""Detections over an archive: the built-in rules and correlations against streaming
the same events with no detection at all, in the same run.

``:findings`` and ``awsir-tui findings`` run every rule on every event of the store
(each raw record parsed once, tested against the rules its event name can match) and
the correlations over all of them. The peer streams the same events from the same
store and does nothing with them: what detection adds to reading the events. The
archive is bench/make_archive.py's (real Stratus records, new IDs and times), loaded
once; rounds interleaved, medians and the process's peak memory printed as a Markdown
row. No speed is asserted.

    .venv/bin/python bench/bench_findings.py [--events 100000]
"""

from __future__ import annotations

import argparse
import resource
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from make_archive import archive  # noqa: E402

from awsir_tui.detect import Detector  # noqa: E402
from awsir_tui.events.loader import load  # noqa: E402
from awsir_tui.events.store import EventStore  # noqa: E402

ROUNDS = 3


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=100_000)
    args = parser.parse_args()
    folder = archive(args.events)
    detect: list[float] = []
    stream: list[float] = []
    with EventStore() as store:
        load([folder], store)
        loaded_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss >> 10
        for round_ in range(ROUNDS):
            for name in ("detect", "stream") if round_ % 2 == 0 else ("stream", "detect"):
                started = time.perf_counter()
                if name == "detect":
                    findings = Detector().run(store.events())
                    detect.append(time.perf_counter() - started)
                else:
                    count = sum(1 for _ in store.events())
                    stream.append(time.perf_counter() - started)
                    assert count == args.events
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss >> 10
    d, s = statistics.median(detect), statistics.median(stream)
    print("| events | findings | detection s (events/s) | streaming alone s | detection / "
          "streaming | peak RSS MiB (after the load) |")
    print("|---:|---:|---:|---:|---:|---:|")
    print(f"| {args.events:,} | {len(findings)} | {d:.2f} ({args.events / d:,.0f}) | {s:.2f} "
          f"| {d / s:.2f} | {peak_mib:,} ({loaded_mib:,}) |")


if __name__ == "__main__":
    main()
