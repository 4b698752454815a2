"""Space and b page the events and the EC2 lists as they page the event's tree and the
details pages (#5): the rows in sight go by a page and the cursor stays on its line of
the screen. They took the cursor to the bottom line first, so that the first space moved
the list by one row, and space, space, b did not come back to the first space's page."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable

from awsir_tui.cli import Options
from awsir_tui.demo.server import DemoServer
from awsir_tui.ui.ec2_instances import InstancesView
from awsir_tui.ui.ec2_table import ObjectTable
from awsir_tui.ui.virtual_table import VirtualTable
from tests.helpers_app import demo_app, regions_listed, wait_for
from tests.helpers_ec2 import loaded_list
from tests.helpers_events import STRATUS
from tests.helpers_ui_events import archive_loaded, offline_app

SIZE = (80, 24)


def on_screen_line(table: VirtualTable | ObjectTable | DataTable[Any]) -> int:
    """The line of the table's rows (0: under its header) the cursor is drawn on."""
    return table.cursor_row - round(table.scroll_y)


async def paged(pilot: Pilot[Any], table: VirtualTable | ObjectTable | DataTable[Any],
                key: str, row: int, top: int) -> None:
    """``key`` pressed: the cursor on ``row`` and ``top`` the first row in sight (the
    page it shows: not the screen's text, which a notice coming or going changes)."""
    await pilot.press(key)
    await wait_for(pilot, lambda: (table.cursor_row, round(table.scroll_y)) == (row, top),
                   f"{key}: row {row} with row {top} on top")


async def test_space_and_b_page_the_events_a_whole_page(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    app = offline_app(Options(sources=[str(STRATUS)]))
    async with app.run_test(size=SIZE) as pilot:
        table = (await archive_loaded(pilot, app)).table
        page, count = table._page, table.row_count
        assert count > 3 * page
        await pilot.press("j", "j")
        await paged(pilot, table, "space", 2 + page, page)
        await paged(pilot, table, "space", 2 + 2 * page, 2 * page)
        await paged(pilot, table, "b", 2 + page, page)  # the first space's page
        await paged(pilot, table, "ctrl+d", 2 + page + page // 2, page + page // 2)
        await paged(pilot, table, "ctrl+u", 2 + page, page)
        # At the end the list stops on its last page and the cursor on the last row;
        # b from there goes a page up, the cursor still on the bottom line.
        await pilot.press("G")
        await wait_for(pilot, lambda: table.cursor_row == count - 1, "G: the last row")
        await paged(pilot, table, "space", count - 1, count - page)
        await paged(pilot, table, "b", count - 1 - page, count - 2 * page)
        assert on_screen_line(table) == page - 1
        await pilot.press("g")
        await paged(pilot, table, "ctrl+b", 0, 0)


async def test_space_and_b_page_an_ec2_list_a_whole_page(demo: DemoServer) -> None:
    app = demo_app(demo)
    async with app.run_test(size=(80, 12)) as pilot:  # a short screen: pages of a few rows
        await loaded_list(pilot, app, InstancesView)
        table = app.screen.query_one(ObjectTable)
        page, count = table._page, len(table.items)
        assert count >= 3 * page, count  # b from the third page back to the second
        await pilot.press("j")
        await paged(pilot, table, "space", 1 + page, page)
        await paged(pilot, table, "ctrl+f", 1 + 2 * page, min(2 * page, count - page))
        await paged(pilot, table, "b", 1 + page, page)  # the first space's page
        await paged(pilot, table, "ctrl+u", 1 + page - page // 2, page - page // 2)


async def test_ctrl_f_and_ctrl_b_page_the_regions_list_a_whole_page(demo: DemoServer) -> None:
    """The lists on a DataTable (regions, posture, evidence) paged the cursor alone: to
    the bottom line first, then the list by what was left of a page. (Space toggles a
    region there.)"""
    app = demo_app(demo, first_view="regions")
    async with app.run_test(size=(80, 12)) as pilot:
        table = (await regions_listed(pilot, app)).query_one(DataTable)
        await pilot.pause()  # its height laid out
        page = table.scrollable_content_region.height - table.header_height
        count = table.row_count
        assert count >= 3 * page, (count, page)
        await pilot.press("g")  # (the cursor starts on the app's own region)
        await wait_for(pilot, lambda: table.cursor_row == 0, "g: the first region")
        await pilot.press("j")
        await wait_for(pilot, lambda: table.cursor_row == 1, "j")
        await paged(pilot, table, "ctrl+f", 1 + page, page)
        await paged(pilot, table, "ctrl+f", 1 + 2 * page, min(2 * page, count - page))
        await paged(pilot, table, "ctrl+b", 1 + page, page)  # the first one's page
        await paged(pilot, table, "ctrl+u", 1 + page - page // 2, page - page // 2)
