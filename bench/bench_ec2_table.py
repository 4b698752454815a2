"""How the instance table copes with 5,000 instances: add, sort, filter, scroll.

Prints figures (never asserts times): the instances view's own table is driven through
Textual's test harness at 80x24 with 5,000 synthetic instances (13 columns, Text cells),
and compared with a plain DataTable of the same cells as the peer in the same run.

    .venv/bin/python bench/bench_ec2_table.py [--rows 5000]
"""

from __future__ import annotations

import argparse
import asyncio
import time
from datetime import UTC, datetime, timedelta
from typing import Any

from textual.app import App, ComposeResult
from textual.widgets import DataTable

from awsir_tui.aws.ec2_columns import INSTANCE_COLUMNS
from awsir_tui.query import compile_predicate, parse
from awsir_tui.query.fields import INSTANCE_FIELDS
from awsir_tui.ui.base import cell
from awsir_tui.ui.ec2_table import ObjectTable


def synthetic(count: int) -> list[dict[str, Any]]:
    """``count`` instance dicts shaped like DescribeInstances, a few hostile names."""
    start = datetime(2026, 11, 1, tzinfo=UTC)
    regions = ["us-east-1", "eu-west-1", "ap-southeast-2"]
    items = []
    for n in range(count):
        region = regions[n % 3]
        items.append(
            {
                "InstanceId": f"i-{n:017x}",
                "Tags": [{"Key": "Name", "Value": f"web-{n}" if n % 97 else "[bold]x[/"}],
                "State": {"Name": "running" if n % 5 else "stopped"},
                "InstanceType": "t3.micro",
                "Placement": {"AvailabilityZone": region + "a"},
                "LaunchTime": start + timedelta(minutes=n * 7 % 9973),
                "KeyName": f"key-{n % 40}",
                "SecurityGroups": [{"GroupId": f"sg-{n % 50:08x}", "GroupName": f"g{n % 50}"}],
                "PublicIpAddress": f"54.{n // 250 % 250}.{n % 250}.1",
                "PrivateIpAddress": f"10.0.{n // 250 % 250}.{n % 250}",
                "VpcId": "vpc-0abc",
                "SubnetId": "subnet-0abc",
                "ImageId": "ami-0abc",
                "Region": region,
            }
        )
    return items


class TableApp(App[None]):
    def __init__(self, table: DataTable[Any]) -> None:
        super().__init__()
        self.table = table

    def compose(self) -> ComposeResult:
        yield self.table


async def timed(label: str, pilot: Any, action: Any) -> float:
    started = time.perf_counter()
    action()
    await pilot.pause()
    elapsed = time.perf_counter() - started
    print(f"  {label:<34} {elapsed * 1000:8.0f} ms")
    return elapsed


async def bench_plain(items: list[dict[str, Any]]) -> float:
    table: DataTable[Any] = DataTable(cursor_type="row")
    app = TableApp(table)
    async with app.run_test(size=(80, 24)) as pilot:
        table.add_columns(*(header for header, _ in INSTANCE_COLUMNS))

        def add() -> None:
            for item in items:
                table.add_row(*(cell(get(item)) for _, get in INSTANCE_COLUMNS))

        elapsed = await timed("plain DataTable: add rows", pilot, add)
        table.focus()
        await page_down(pilot, "plain DataTable: one page down")
        return elapsed


async def page_down(pilot: Any, label: str) -> float:
    """Average time of 50 page-down key presses, each until the screen settled."""
    started = time.perf_counter()
    for _ in range(50):
        await pilot.press("pagedown")
    elapsed = (time.perf_counter() - started) / 50
    print(f"  {label + ' (avg/50)':<34} {elapsed * 1000:8.1f} ms")
    return elapsed


async def bench_view_table(items: list[dict[str, Any]]) -> dict[str, float]:
    table = ObjectTable(INSTANCE_COLUMNS, key=lambda i: i["InstanceId"])
    app = TableApp(table)
    figures: dict[str, float] = {}
    async with app.run_test(size=(80, 24)) as pilot:
        figures["add"] = await timed("ObjectTable: show 5,000 rows", pilot,
                                     lambda: table.show(items))
        figures["sort"] = await timed("ObjectTable: sort by launch time", pilot,
                                      lambda: table.sort_by(5))
        predicate = compile_predicate(parse("state:stopped key:key-1"), INSTANCE_FIELDS)
        figures["filter"] = await timed(
            "ObjectTable: filter (state+key)", pilot,
            lambda: table.show([i for i in items if predicate(i)]))
        figures["unfilter"] = await timed("ObjectTable: clear filter", pilot,
                                          lambda: table.show(items))
        table.focus()
        figures["page"] = await page_down(pilot, "ObjectTable: one page down")
    return figures


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=5000)
    rows = parser.parse_args().rows
    items = synthetic(rows)
    print(f"{rows} instances, {len(INSTANCE_COLUMNS)} columns, 80x24")
    plain = await bench_plain(items)
    figures = await bench_view_table(items)
    print(f"  ratio ObjectTable show / plain add  {figures['add'] / plain:8.2f}")


if __name__ == "__main__":
    asyncio.run(main())
