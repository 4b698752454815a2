"""The catalogue of event names (:mod:`awsir_tui.aws.event_names`): built from botocore's
models, as on the first start with a botocore version, against read back from its
cache, as on every other start; and, as a peer in the same run, botocore reading one
service's model (ec2's, one of the largest), which every EC2 client costs.

Each round times the three in turn, each from nothing: a new botocore loader (it keeps
what it has read), the cache file removed before the build and written by it. Both
catalogue figures include making the :class:`EventNames` the planner searches. Prints a
Markdown table of medians with the ratios; no speed is asserted.

    .venv/bin/python bench/bench_event_names.py [--rounds 5]
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import botocore  # noqa: E402
import botocore.loaders  # noqa: E402

from awsir_tui.aws.event_names import names_by_source  # noqa: E402
from awsir_tui.query.names import EventNames  # noqa: E402


def seconds(run: Callable[[], object]) -> float:
    started = time.perf_counter()
    run()
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    rounds = parser.parse_args().rounds
    with tempfile.TemporaryDirectory(prefix="bench-event-names-") as folder:
        cache = Path(folder) / "event-names.json"

        def build() -> EventNames:
            cache.unlink(missing_ok=True)
            return EventNames(names_by_source(cache))

        def cached() -> EventNames:
            return EventNames(names_by_source(cache))

        def ec2_model() -> object:
            return botocore.loaders.create_loader().load_service_model("ec2", "service-2")

        runs = [(seconds(build), seconds(cached), seconds(ec2_model)) for _ in range(rounds)]
        catalogue = cached()
        services = len(botocore.loaders.create_loader().list_available_services("service-2"))
        size = cache.stat().st_size
    built, read, peer = (statistics.median(run[i] for run in runs) for i in range(3))
    print(f"{platform.machine()}, Python {platform.python_version()}, botocore "
          f"{botocore.__version__}, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, load average "
          f"{os.getloadavg()[0]:.1f}; medians of {rounds} rounds, the three in turn")
    print(f"{services} service models; {len(catalogue):,} names under "
          f"{len(catalogue.by_source)} event sources; cache {size / 1e3:,.0f} kB\n")
    print("| what | ms | / ec2's model |")
    print("|---|---:|---:|")
    for what, took in (("catalogue built from botocore's models (first start)", built),
                       ("catalogue read from its cache (every other start)", read),
                       ("peer: botocore reads ec2's service model", peer)):
        print(f"| {what} | {took * 1e3:,.0f} | {took / peer:.2f} |")
    print(f"\nbuilt / cached: {built / read:.0f}x")


if __name__ == "__main__":
    main()
