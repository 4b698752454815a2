"""All-region EC2 inventory against one region, under a far region's latency.

Runs the demo account behind a local proxy that holds every request for a fixed delay
(default 150 ms, like a region across an ocean) and prints, in one run:

- the app's inventory of instances in every region at once (awsir_tui.aws.inventory),
- the same for one region,
- ``aws ec2 describe-instances`` (the awscli package) looped over the same regions,
  as the peer a responder would otherwise script;

and the ratios. Goal (issue #3): all regions within 1.5x of one region. The region set is
the demo's three plus enough empty standard regions to make 16, because "every enabled
region" of a real account is about that many. The demo server runs in its own process
(``awsir-tui demo-server``) so that it does not share the measured client's GIL; each
figure is the median of ``--runs`` runs, each with a fresh context (new clients and
connections, as at start-up). Figures are printed, never asserted.

    .venv/bin/python bench/bench_inventory.py [--latency-ms 150] [--regions 16]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from awsir_tui.aws.context import AwsContext, AwsTarget
from awsir_tui.aws.inventory import Inventory, Kind
from awsir_tui.demo.faulty_link import FaultyLink

#: Standard regions (enabled by default in every account) to pad the demo's three.
STANDARD_REGIONS = (
    "us-east-1", "us-east-2", "us-west-1", "us-west-2", "ca-central-1", "eu-west-1",
    "eu-west-2", "eu-west-3", "eu-central-1", "eu-north-1", "ap-south-1", "ap-northeast-1",
    "ap-northeast-2", "ap-northeast-3", "ap-southeast-1", "ap-southeast-2", "sa-east-1",
)


def context(url: str, regions: list[str]) -> AwsContext:
    """A fresh context (new clients, new connections) so every timing pays the same setup."""
    return AwsContext(AwsTarget(regions=tuple(regions), endpoint_url=url,
                                static_credentials=("testing", "testing")))


def inventory_seconds(
    url: str, regions: list[str], kinds: tuple[Kind, ...], inventory: Inventory | None = None
) -> tuple[float, int, float]:
    """Seconds for the app's inventory of ``kinds`` over ``regions``, the item count, and
    the seconds until the first region's rows were ready (what the screen shows first).

    Without ``inventory`` a fresh one on a fresh context is timed (cold: botocore builds
    each region's client first); with one, a refresh through its existing clients (warm).
    """
    warm = inventory is not None
    inventory = inventory or Inventory(context(url, regions), regions)
    first: list[float] = []

    async def run() -> int:
        count = 0
        for kind in kinds:
            async for outcome in inventory.stream(kind, refresh=warm):
                if not outcome.ok:
                    raise SystemExit(f"region failed: {outcome.region}: {outcome.failure}")
                if not first:
                    first.append(time.perf_counter() - started)
                count += len(outcome.value or [])
        return count

    started = time.perf_counter()
    count = asyncio.run(run())
    return time.perf_counter() - started, count, first[0]


def awscli_seconds(url: str, regions: list[str]) -> float:
    """Seconds for ``aws ec2 describe-instances`` run once per region, one after another."""
    aws = shutil.which("aws", path=str(Path(sys.executable).parent)) or shutil.which("aws")
    if aws is None:
        raise SystemExit("the awscli package is not installed (pip install awscli)")
    env = {**os.environ, "AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
           "AWS_ENDPOINT_URL": url}
    started = time.perf_counter()
    for region in regions:
        subprocess.run([aws, "ec2", "describe-instances", "--region", region,
                        "--endpoint-url", url, "--output", "json"],
                       env=env, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


@contextmanager
def demo_server() -> Iterator[tuple[str, list[str]]]:
    """``awsir-tui demo-server`` in its own process: (endpoint, demo regions)."""
    process = subprocess.Popen(
        [sys.executable, "-m", "awsir_tui", "demo-server"],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
    )
    try:
        assert process.stdout is not None
        endpoint = regions = None
        for line in process.stdout:
            if found := re.search(r" at (http://\S+)", line):
                endpoint = found.group(1)
            if line.startswith("Regions:"):
                regions = [r.strip() for r in line.split(":", 1)[1].split(",")]
            if endpoint and regions:
                break
        if not (endpoint and regions):
            raise SystemExit("the demo server did not start")
        yield endpoint, regions
    finally:
        process.terminate()
        process.wait(10)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--latency-ms", type=float, default=150.0)
    parser.add_argument("--regions", type=int, default=16, help="regions to query (>= 3)")
    parser.add_argument("--runs", type=int, default=5, help="runs per figure (median)")
    args = parser.parse_args()
    with demo_server() as (endpoint, demo_regions):
        regions = list(demo_regions)
        regions += [r for r in STANDARD_REGIONS if r not in regions][: max(0, args.regions - 3)]
        with FaultyLink(endpoint, latency=args.latency_ms / 1000) as proxy:
            print(f"EC2 inventory, {len(regions)} regions ({len(demo_regions)} with instances),"
                  f" {args.latency_ms:.0f} ms added per request, median of {args.runs} runs")
            figures = measure(proxy.url, regions, args.runs)
            figures["awscli"] = awscli_seconds(proxy.url, regions)
    report(figures, regions)


def measure(url: str, regions: list[str], runs: int) -> dict[str, float]:
    """Cold (fresh context) and warm (refresh) times, one region and all regions.

    The figures are taken in turn within each run, so that one region and all regions see
    the same background load (these machines are shared and noisy).
    """
    instances = (Kind.INSTANCES,)
    choices = {"one": regions[:1], "all": regions}
    warm = {label: Inventory(context(url, chosen), chosen) for label, chosen in choices.items()}
    samples: dict[str, list[float]] = {}
    figures: dict[str, float] = {}
    for label, chosen in choices.items():
        figures[f"{label}_count"] = inventory_seconds(url, chosen, instances, warm[label])[1]
    for _ in range(runs):
        for label, chosen in choices.items():
            seconds, _, first = inventory_seconds(url, chosen, instances)
            samples.setdefault(f"{label}_cold", []).append(seconds)
            samples.setdefault(f"{label}_first", []).append(first)
            seconds = inventory_seconds(url, chosen, instances, warm[label])[0]
            samples.setdefault(f"{label}_warm", []).append(seconds)
        samples.setdefault("full_cold", []).append(
            inventory_seconds(url, regions, tuple(Kind))[0])
    figures.update({name: statistics.median(values) for name, values in samples.items()})
    return figures


def report(f: dict[str, float], regions: list[str]) -> None:
    n = len(regions)
    print(f"  app, 1 region ({regions[0]}), cold start:    {f['one_cold']:6.2f} s"
          f"  ({f['one_count']:.0f} instances)")
    print(f"  app, all {n} regions, cold start:        {f['all_cold']:6.2f} s"
          f"  ({f['all_count']:.0f} instances)")
    print(f"  app, all {n} regions, first rows, cold:  {f['all_first']:6.2f} s")
    print(f"  app, 1 region, refresh (clients made):  {f['one_warm']:6.2f} s")
    print(f"  app, all {n} regions, refresh:           {f['all_warm']:6.2f} s")
    print(f"  app, instances+groups+keys, all, cold:  {f['full_cold']:6.2f} s")
    print(f"  aws ec2 describe-instances looped:      {f['awscli']:6.2f} s  (1 run)")
    print(f"  ratio all / one region, cold start:     {f['all_cold'] / f['one_cold']:6.2f}"
          "  (goal <= 1.5)")
    print(f"  ratio all / one region, refresh:        {f['all_warm'] / f['one_warm']:6.2f}"
          "  (goal <= 1.5)")
    print(f"  ratio awscli loop / app all, cold:      {f['awscli'] / f['all_cold']:6.2f}")


if __name__ == "__main__":
    main()
