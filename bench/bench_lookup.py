"""LookupEvents throughput against the API's limit, with the demo server throttling as AWS.

The limit is 2 requests/s per region, 50 events a page: 100 events/s per region. The
reader (awsir_tui.aws.cloudtrail.EventLookup) reads the whole Event history of the demo
account, first one region alone, then every demo region in parallel, and reports each
region's events/s and requests/s as a share of the limit. Its peer in the same run is
what a script would do: boto3's paginator with botocore's adaptive retries (the
library's own answer to throttling), over the same region. Prints figures and ratios,
asserts nothing; with ``--write`` it also replaces the "LookupEvents" section of
BENCHMARKS.md (other sections are kept).

    .venv/bin/python bench/bench_lookup.py [--write]
"""

from __future__ import annotations

import argparse
import contextlib
import platform
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import boto3
from botocore.config import Config

from awsir_tui.aws.cloudtrail import API_RATE, PAGE_SIZE, EventLookup
from awsir_tui.aws.context import AwsContext, AwsTarget
from awsir_tui.aws.errors import classify

LIMIT_EVENTS = API_RATE * PAGE_SIZE
BENCHMARKS = Path(__file__).resolve().parents[1] / "BENCHMARKS.md"


@dataclass
class RegionRun:
    """One region's share of a run."""

    region: str
    events: int = 0
    pages: int = 0
    throttles: int = 0
    seconds: float = 0.0
    failed: str = ""

    @property
    def events_per_second(self) -> float:
        return self.events / self.seconds if self.seconds else 0.0

    @property
    def requests_per_second(self) -> float:
        """Calls after the first, over the time they took (the first one is free)."""
        return (self.pages - 1) / self.seconds if self.seconds and self.pages > 1 else 0.0


@dataclass(frozen=True)
class Server:
    """The demo account served by another process (its CPU is not the reader's)."""

    endpoint_url: str
    regions: tuple[str, ...]

    def cloudtrail(self, region: str, config: Config) -> Any:
        return boto3.client(
            "cloudtrail", region_name=region, endpoint_url=self.endpoint_url, config=config,
            aws_access_key_id="testing", aws_secret_access_key="testing",
        )


@contextlib.contextmanager
def demo_server() -> Iterator[Server]:
    """``awsir-tui demo-server`` in a child process; its first lines say where it is."""
    child = subprocess.Popen(
        [sys.executable, "-m", "awsir_tui", "demo-server"],
        stdout=subprocess.PIPE, text=True,
    )
    try:
        endpoint, regions = "", tuple[str, ...]()
        assert child.stdout is not None
        for line in child.stdout:
            if match := re.search(r" at (http://\S+)", line):
                endpoint = match.group(1)
            if line.startswith("Regions: "):
                regions = tuple(r.strip() for r in line[len("Regions: "):].split(","))
                break
        if not endpoint or not regions:
            raise RuntimeError("the demo server did not start")
        yield Server(endpoint, regions)
    finally:
        child.terminate()
        child.wait()


def context(server: Server, regions: tuple[str, ...]) -> AwsContext:
    return AwsContext(
        AwsTarget(
            regions=regions,
            endpoint_url=server.endpoint_url,
            static_credentials=("testing", "testing"),
        )
    )


def run_reader(server: Server, regions: tuple[str, ...]) -> list[RegionRun]:
    """Every event of ``regions`` with the app's reader; per-region timings."""
    lookup = EventLookup(context(server, regions), regions)
    runs = {region: RegionRun(region) for region in regions}
    started = time.perf_counter()
    for page in lookup.pages():
        run = runs[page.region]
        if page.events:  # no predicate here: every fetched page brings its events
            run.events += len(page.events)
            run.pages += 1
        if page.note == "throttled":
            run.throttles += 1
        elif page.note:
            run.failed = "" if page.note == "done" else page.note
            run.seconds = time.perf_counter() - started
    return list(runs.values())


def run_paginator(server: Server, region: str) -> RegionRun:
    """The peer: boto3's paginator with botocore's adaptive retries (max 10 attempts)."""
    client = server.cloudtrail(region, Config(retries={"mode": "adaptive", "max_attempts": 10}))
    run = RegionRun(region)

    def count_throttles(response: Any = None, **_: Any) -> None:
        """Every answer, retried ones included, passes here before the retry decision."""
        parsed = response[1] if isinstance(response, tuple) else {}
        if parsed.get("Error", {}).get("Code") in ("ThrottlingException", "Throttling"):
            run.throttles += 1

    client.meta.events.register("needs-retry.cloudtrail.LookupEvents", count_throttles)
    started = time.perf_counter()
    try:
        for page in client.get_paginator("lookup_events").paginate(
            PaginationConfig={"PageSize": PAGE_SIZE}
        ):
            run.events += len(page.get("Events", []))
            run.pages += 1
    except Exception as exc:
        run.failed = str(classify(exc))
    run.seconds = time.perf_counter() - started
    return run


def share(value: float, limit: float) -> str:
    return f"{100 * value / limit:.0f}%" if limit else "-"


def table(title: str, runs: list[RegionRun]) -> list[str]:
    lines = [
        f"**{title}**",
        "",
        "| region | events | seconds | events/s | of limit (100/s) | requests/s | throttled | "
        "failed |",
        "|---|---:|---:|---:|---:|---:|---:|---|",
    ]
    for run in runs:
        lines.append(
            f"| {run.region} | {run.events} | {run.seconds:.1f} | {run.events_per_second:.1f} "
            f"| {share(run.events_per_second, LIMIT_EVENTS)} | {run.requests_per_second:.2f} "
            f"| {run.throttles} | {run.failed or 'no'} |"
        )
    return [*lines, ""]


def write_section(body: list[str]) -> None:
    """Replace (or add) the "## LookupEvents" section of BENCHMARKS.md."""
    text = BENCHMARKS.read_text() if BENCHMARKS.exists() else "# Benchmarks\n"
    section = "## LookupEvents\n\n" + "\n".join(body).rstrip() + "\n"
    pattern = re.compile(r"^## LookupEvents\n.*?(?=^## |\Z)", re.S | re.M)
    if pattern.search(text):
        text = pattern.sub(lambda _: section + "\n", text).rstrip() + "\n"
    else:
        text = text.rstrip() + "\n\n" + section
    BENCHMARKS.write_text(text)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="update BENCHMARKS.md")
    args = parser.parse_args()
    with demo_server() as server:
        regions = tuple(server.regions)
        busiest = regions[0]
        one = run_reader(server, (busiest,))
        time.sleep(1.0)  # let the server's buckets refill between runs
        every = run_reader(server, regions)
        time.sleep(1.0)
        peer = run_paginator(server, busiest)
    ours = one[0]
    ratio = ours.events_per_second / peer.events_per_second if peer.events_per_second else 0.0
    body = [
        "`bench/bench_lookup.py`: the whole Event history of the demo account, read through",
        "the demo server (another process), which throttles LookupEvents at 2 requests/s",
        "per region like AWS.",
        f"Machine: {platform.machine()}, Python {platform.python_version()}, "
        f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}.",
        "The limit is 2 requests/s x 50 events = 100 events/s per region; a region's rate is",
        "its events over the time until its last page (the first call is free, so a small",
        "region can read slightly above 100%).",
        "",
        *table("One region (the app's reader)", one),
        *table(f"All {len(regions)} demo regions in parallel (the app's reader)", every),
        *table("Peer, same run: boto3 paginator with adaptive retries, one region", [peer]),
        f"Reader vs peer on {busiest}: {ratio:.2f}x the events/s. "
        f"Failed queries: {sum(1 for r in [*one, *every] if r.failed)} (reader), "
        f"{1 if peer.failed else 0} (peer).",
    ]
    print("\n".join(body))
    if args.write:
        write_section(body)
        print(f"\nwritten to {BENCHMARKS}")


if __name__ == "__main__":
    main()
