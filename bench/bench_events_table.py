"""Keypress-to-frame in the events viewer at a million rows, against Textual's DataTable.

The store is filled by SQL from the 310 real Stratus records in ../shared/data/cloudtrail
(new event IDs and times, nothing else invented; rows in no time order, the worst case
for reading a page by row ID), or with ``--archive`` loaded from an archive that
bench/make_archive.py wrote (rows in file order, as a responder's store has them).
Then the events viewer (VirtualTable
over the store) runs headless at 80x24 and each key press is timed until the app is
idle again, from the press to the first frame the app drew after it (the frame
that shows the key's effect; the harness's wait for idle is not part of that), and,
for the viewer, to the first frame with its rows (``KEY rows``): a block of rows not
yet read is read by a worker, and the first frame shows "…" in its lines. The
peer in the same run is Textual's DataTable holding a tenth as many rows: its fill
time and the same keys. Prints figures and ratios; asserts nothing.

    .venv/bin/python bench/bench_events_table.py [--events 1000000] [--archive DIR]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from textual.app import App, ComposeResult
from textual.widgets import DataTable

from awsir_tui.app import AwsirApp
from awsir_tui.aws.context import AwsContext, AwsTarget
from awsir_tui.cli import Options
from awsir_tui.detect.marker import EventMarker
from awsir_tui.events.loader import load
from awsir_tui.events.record import from_record
from awsir_tui.events.sources import StoreSource
from awsir_tui.events.store import COLUMNS, EventStore
from awsir_tui.ui.events_view import EventsView, event_columns
from awsir_tui.ui.virtual_table import VirtualTable

STRATUS = Path(__file__).resolve().parents[2] / "shared" / "data" / "cloudtrail" / (
    "stratus-red-team"
)
KEYS = ("pagedown",) * 20 + ("G", "g") * 5 + ("j",) * 20


def build_store(events: int) -> EventStore:
    """``events`` copies of the real records, each with a new ID and an earlier time."""
    store = EventStore()
    records = [r for p in sorted(STRATUS.glob("*.json")) for r in json.loads(p.read_text())]
    store.add_events(from_record(r) for r in records)
    base = store.count()
    cursor = store.cursor()
    cursor.execute("CREATE TEMP TABLE seed AS SELECT row_number() OVER () - 1 AS k, * FROM events")
    rest = ", ".join(f"s.{c} AS {c}" for c in COLUMNS if c not in ("event_id", "event_time"))
    store.merge(
        "SELECT uuid()::VARCHAR AS event_id, s.event_time - to_seconds(r.i) AS event_time, "
        f"{rest} FROM range({events - base}) r(i) JOIN seed s ON s.k = r.i % {base}"
    )
    return store


class FrameClock:
    """When the app computed each frame: ``App._display`` is handed every frame the
    compositor made (headless, it writes it nowhere), so its calls are the frames."""

    def __init__(self, app: App[Any]) -> None:
        self.times: list[float] = []
        draw = app._display

        def display(screen: Any, renderable: Any) -> None:
            if renderable is not None:
                self.times.append(time.perf_counter())
            draw(screen, renderable)

        app._display = display  # type: ignore[method-assign]

    def first_after(self, moment: float) -> float | None:
        return next((t for t in self.times if t >= moment), None)


class BlockClock:
    """When a worker's block of rows reached the table (``VirtualTable._block_read``)."""

    def __init__(self, table: VirtualTable) -> None:
        self.times: list[float] = []
        arrived = table._block_read

        def block_read(*args: Any) -> None:
            self.times.append(time.perf_counter())
            arrived(*args)

        table._block_read = block_read  # type: ignore[method-assign,assignment]

    def last_after(self, moment: float) -> float:
        return max((t for t in self.times if t >= moment), default=moment)


async def time_keys(
    press: Callable[[str], Awaitable[Any]], frames: FrameClock, blocks: BlockClock | None = None
) -> dict[str, list[float]]:
    """Each key: press to idle (``KEY``), press to its first frame (``KEY frame``) and,
    with ``blocks``, to the first frame after the rows it needed arrived (``KEY rows``)."""
    timings: dict[str, list[float]] = {}
    for key in KEYS:
        started = time.perf_counter()
        await press(key)
        timings.setdefault(key, []).append(time.perf_counter() - started)
        frame = frames.first_after(started)
        if frame is not None:
            timings.setdefault(f"{key} frame", []).append(frame - started)
        rows = frames.first_after(blocks.last_after(started)) if blocks else None
        if rows is not None:
            timings.setdefault(f"{key} rows", []).append(rows - started)
    return timings


async def viewer(store: EventStore) -> dict[str, list[float]]:
    ctx = AwsContext(AwsTarget(regions=("us-east-1",), endpoint_url="http://127.0.0.1:9",
                               static_credentials=("x", "y")))
    app = AwsirApp(Options(), ctx, first_view="regions")
    async with app.run_test(size=(80, 24)) as pilot:
        for _ in range(200):
            if app.screen.__class__.__name__ == "RegionsView":
                break
            await pilot.pause(0.05)
        view = EventsView(source=StoreSource(store, "bench"))
        await app.push_screen(view)
        while view.table.source is not view.selection:  # the first sort, in a worker
            await pilot.pause(0.05)
        await pilot.pause(0.5)
        frames = FrameClock(app)
        table = view.table
        blocks = BlockClock(table)

        async def press(key: str) -> None:
            await pilot.press(key)
            await pilot.pause()
            while table.loading_rows:  # the rows the key needs, read by a worker
                await pilot.pause(0.002)
            await pilot.pause()

        timings = await time_keys(press, frames, blocks)
        # The widget's own share of a PageDown: move, fetch if needed (here, on this
        # thread), lay out 24 lines.
        table.action_first()
        own = []
        for _ in range(200):
            started = time.perf_counter()
            table.action_page_down()
            table.scroll_to(y=max(0, table.cursor_row - 10), animate=False, immediate=True)
            table.row(table.cursor_row)
            for y in range(24):
                table.render_line(y)
            own.append(time.perf_counter() - started)
        timings["widget pagedown"] = own
        return timings


class TableApp(App[None]):
    def __init__(self, rows: list[tuple[str, ...]]) -> None:
        super().__init__()
        self.rows = rows
        self.fill_seconds = 0.0

    def compose(self) -> ComposeResult:
        yield DataTable()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        started = time.perf_counter()
        table.add_columns(*(column.label for column in event_columns(EventMarker())))
        table.add_rows(self.rows)
        self.fill_seconds = time.perf_counter() - started
        table.focus()


async def datatable(store: EventStore, rows: int) -> tuple[float, dict[str, list[float]]]:
    columns = event_columns(EventMarker())
    events = store.page(limit=rows)
    data = [tuple(str(column.value(e)) for column in columns) for e in events]
    app = TableApp(data)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause(0.5)
        frames = FrameClock(app)

        async def press(key: str) -> None:
            await pilot.press(key if key not in ("G", "g") else {"G": "end", "g": "home"}[key])
            await pilot.pause()

        return app.fill_seconds, await time_keys(press, frames)


def summary(timings: dict[str, list[float]]) -> str:
    parts = []
    for key, values in timings.items():
        ms = sorted(v * 1000 for v in values)
        p95 = ms[min(len(ms) - 1, int(len(ms) * 0.95))]
        parts.append(f"{key}: median {statistics.median(ms):.0f} ms, p95 {p95:.0f} ms, "
                     f"max {ms[-1]:.0f} ms")
    return "; ".join(parts)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--archive", type=Path, help="load this archive instead")
    args = parser.parse_args()
    started = time.perf_counter()
    if args.archive:
        store = EventStore()
        load([args.archive], store)
        args.events = store.count()
    else:
        store = build_store(args.events)
    print(f"store: {store.count():,} events in {time.perf_counter() - started:.1f}s")
    ours = asyncio.run(viewer(store))
    print(f"events viewer, {args.events:,} rows: {summary(ours)}")
    peer_rows = max(1, args.events // 10)
    fill, theirs = asyncio.run(datatable(store, peer_rows))
    print(f"DataTable, {peer_rows:,} rows: filled in {fill:.1f}s; {summary(theirs)}")
    for key in ("pagedown", "pagedown frame"):
        ratio = statistics.median(theirs[key]) / statistics.median(ours[key])
        print(f"{key} median: DataTable at a tenth of the rows / viewer = {ratio:.2f}x")


if __name__ == "__main__":
    main()
