"""What an events list tells the responder beyond its rows, at 80x24 on the demo account:
how narrow a pivot's read is, the time zone chosen for the session, and what each read
found in each region (on :regions)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable

from awsir_tui.app import AwsirApp
from awsir_tui.demo.server import DemoServer
from awsir_tui.ui.events_detail import EventDetailView
from awsir_tui.ui.events_view import EventsView
from awsir_tui.ui.regions import STATUS, RegionsView
from awsir_tui.ui.stack_view import StackView
from tests.helpers_app import demo_app, open_view, screen_text, wait_for

SIZE = (80, 24)


@pytest.fixture(autouse=True)
def isolated_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Cases (and the view they reopen) go to a fresh folder per test."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))


def read_done(view: EventsView) -> bool:
    """The view's Event history read has stopped and its rows are on the table."""
    progress, selection = view._progress, view.selection
    return (selection is not None and progress is not None and not progress.running
            and view.table.row_count == selection.count())


def status_line(app: AwsirApp) -> str:
    """The events view's status line as drawn (the 4th line of the screen, under the
    breadcrumb and the plan's lines: found by its "regions" count)."""
    return next(line for line in screen_text(app).splitlines() if "/" in line
                and " regions" in line and "\u00b7" in line)


async def events_list(pilot: Pilot[Any], app: AwsirApp, filter_text: str) -> EventsView:
    """`:events FILTER`: its list once read (made with it: no read of every event
    first, whose count a region's status would keep beside the filtered one)."""
    await pilot.press("colon", *f"events {filter_text}", "enter")
    await wait_for(pilot, lambda: isinstance(app.screen, EventsView), "the events view")
    view = app.screen
    assert isinstance(view, EventsView)
    await wait_for(pilot, lambda: view.filter_text == filter_text and read_done(view),
                   f"the events of {filter_text}", seconds=60)
    return view


async def test_a_pivots_list_says_it_reads_the_day_either_side_until_4_widens_it(
    demo: DemoServer,
) -> None:
    """An IP pivot reads every event of the day either side of the event: the notice
    saying so is gone in seconds, so the list's status line says it, and 4 (all 90
    days) takes it away."""
    app = demo_app(demo)
    async with app.run_test(size=SIZE) as pilot:
        view = await events_list(pilot, app, "name:RunInstances")
        rows = [view.table.row(i) for i in range(view.table.row_count)]
        deploy = next(i for i, event in enumerate(rows) if event.user_name == "ci-deploy")
        view.table.cursor_row = deploy
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, EventDetailView), "the event")
        detail = app.screen
        assert isinstance(detail, EventDetailView)
        await pilot.press("slash", *"sourceIPAddress", "enter")
        tree = detail.json_tree
        await wait_for(pilot, lambda: tree.cursor_node is not None
                       and tree.cursor_node.data is not None
                       and tree.cursor_node.data.key == "sourceIPAddress", "the source IP")
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, EventsView)
                       and app.screen is not view and read_done(app.screen), "the IP's events")
        pivot = app.screen
        assert isinstance(pivot, EventsView)
        assert pivot.filter_text.startswith(f"ip:={rows[deploy].source_ip} after:")
        # Once read: while it reads, "loading…" and a throttle count may fill the line.
        # The line is drawn a frame after the read stops: waited for as it ends.
        await wait_for(pilot, lambda: read_done(pivot) and "\u00b11 day of the event "
                       "(4: 90 days)" in status_line(app) and "loading" not in status_line(app),
                       "the window on the status line")
        line = status_line(app)
        # Whole up to its page count: a throttle count after it may take the last columns.
        assert "events \u00b7" in line and re.search(r"\d pages( \u00b7|$)", line.rstrip()), line
        # A term added keeps the window; 4 reads the 90 days, and the line says no more.
        await pilot.press("slash", "end", *" -error:*", "enter")
        await wait_for(pilot, lambda: pivot.filter_text.endswith("-error:*")
                       and read_done(pivot), "the filter with a term added")
        assert "\u00b11 day of the event" in status_line(app)
        await pilot.press("4")
        await wait_for(pilot, lambda: "since:90d" in pivot.filter_text and read_done(pivot),
                       "the 90 days")
        assert "day of the event" not in screen_text(app)


async def test_the_time_zone_chosen_holds_in_every_events_list(
    demo: DemoServer, new_york: None,
) -> None:
    """o in one events list shows local time in the next one opened (a :stack group's)
    and in the one it goes back to: a display setting holds for the session."""
    app = demo_app(demo)
    async with app.run_test(size=SIZE) as pilot:
        view = await events_list(pilot, app, "name:RunInstances")
        assert "(UTC)" in screen_text(app)
        await pilot.press("o")
        await wait_for(pilot, lambda: "(-05)" in screen_text(app)
                       or "(-04" in screen_text(app), "local time")
        stack = await open_view(pilot, app, "stack")
        assert isinstance(stack, StackView)
        await wait_for(pilot, lambda: bool(stack.rows), "the groups")
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, EventsView)
                       and app.screen is not view and app.screen.table.row_count > 0,
                       "a group's events")
        group = app.screen
        assert isinstance(group, EventsView)
        await pilot.pause(0.1)
        assert "(UTC)" not in screen_text(app)
        assert "local time" in screen_text(app)
        # o there goes back to UTC, and so does the list Esc goes back to.
        await pilot.press("o")
        await wait_for(pilot, lambda: "(UTC)" in screen_text(app), "UTC again")
        await pilot.press("escape", "escape")
        await wait_for(pilot, lambda: app.screen is view, "the first list")
        await wait_for(pilot, lambda: "(UTC)" in screen_text(app), "UTC in the first list")
        assert "local time" not in screen_text(app)


async def test_regions_keeps_what_each_kind_of_read_found(demo: DemoServer) -> None:
    """The instances read, then an Event history read: :regions says both per region
    (the last read's alone showed "instances: 0" after the events were read)."""
    app = demo_app(demo)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: all(
            app.region_status.get(region, "").startswith("instances: ")
            for region in demo.regions), "the instances of every region", seconds=60)
        view = await events_list(pilot, app, "name:RunInstances")
        found = {region: sum(1 for i in range(view.table.row_count)
                             if view.table.row(i).aws_region == region)
                 for region in demo.regions}
        busiest = max(found, key=lambda region: found[region])
        assert found[busiest] > 0
        # A filtered read says so: its count is not all the region's events.
        await wait_for(pilot, lambda: f"filtered events: {found[busiest]}"
                       in app.region_status.get(busiest, ""), "the events read's count")
        # The instances read's own count (the demo is shared: other tests launch more).
        instances = re.match(r"instances: (\d+)", app.region_status[busiest])
        assert instances is not None, app.region_status[busiest]
        both = f"instances: {instances[1]} \u00b7 filtered events: {found[busiest]}"
        assert app.region_status[busiest].startswith(both)
        # The demo throttles as AWS does: each region says its own throttled calls.
        throttled = [re.search(r"throttled (\d+)\u00d7", app.region_status[region])
                     for region in demo.regions]
        assert view._progress is not None
        assert sum(int(m.group(1)) for m in throttled if m) == view._progress.throttles
        regions = await open_view(pilot, app, "regions")
        assert isinstance(regions, RegionsView)
        await wait_for(pilot, lambda: bool(regions._regions), "the regions")
        names = [info.name for info in regions._regions]
        await pilot.press("g", *["j"] * names.index(busiest))
        await wait_for(pilot, lambda: f"{busiest}: {both}" in screen_text(app),
                       "both, under the table")
        # And in the region's row (its status column: short enough for 80 columns).
        table = regions.query_one(DataTable)
        assert both in str(table.get_row_at(names.index(busiest))[STATUS])
