"""Every list pages as less and vi do: space and b a page, Ctrl+D and Ctrl+U half of
one (the review found them doing nothing in :events, where PageDown paged)."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import DataTable

from awsir_tui.cli import Options
from awsir_tui.demo.server import DemoServer
from awsir_tui.ui.ec2_instances import InstancesView
from awsir_tui.ui.ec2_table import ObjectTable
from tests.helpers_app import demo_app, screen_text, wait_for
from tests.helpers_ec2 import loaded_list
from tests.helpers_events import STRATUS
from tests.helpers_ui_events import archive_loaded, offline_app


async def test_space_b_and_ctrl_d_u_page_the_events(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    app = offline_app(Options(sources=[str(STRATUS)]))
    async with app.run_test(size=(80, 24)) as pilot:
        table = (await archive_loaded(pilot, app)).table
        page = table.scrollable_content_region.height - 1
        assert table.row_count > 2 * page
        await pilot.press("space")
        await wait_for(pilot, lambda: table.cursor_row == page, "a page down")
        await pilot.press("ctrl+d")
        await wait_for(pilot, lambda: table.cursor_row == page + page // 2, "half a page")
        await pilot.press("ctrl+u", "b")
        await wait_for(pilot, lambda: table.cursor_row == 0, "back up")


async def test_space_and_ctrl_d_page_an_ec2_list(demo: DemoServer) -> None:
    app = demo_app(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded_list(pilot, app, InstancesView)
        table = app.screen.query_one(ObjectTable)
        page = table._page
        await pilot.press("space")
        down = min(page, len(table.items) - 1)
        assert down > 0
        await wait_for(pilot, lambda: table.cursor_row == down, "a page down")
        await pilot.press("b")
        await wait_for(pilot, lambda: table.cursor_row == 0, "a page up")
        await pilot.press("ctrl+d")
        await wait_for(pilot, lambda: table.cursor_row == min(page // 2, len(table.items) - 1),
                       "half a page down")
        await pilot.press("ctrl+u")
        await wait_for(pilot, lambda: table.cursor_row == 0, "half a page up")


async def test_space_still_toggles_a_region_in_regions(demo: DemoServer) -> None:
    """:regions keeps space for selecting a region; b and Ctrl+D page it."""
    app = demo_app(demo, first_view="regions")
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: "selected of" in screen_text(app), "regions")
        table = app.screen.query_one(DataTable)
        start, before = table.cursor_row, screen_text(app)
        await pilot.press("space")
        await wait_for(pilot, lambda: screen_text(app) != before, "toggled")
        assert table.cursor_row == start
        await pilot.press("b")
        await wait_for(pilot, lambda: table.cursor_row == 0, "a page up")
        await pilot.press("ctrl+d")
        await wait_for(pilot, lambda: table.cursor_row > 0, "half a page down")
