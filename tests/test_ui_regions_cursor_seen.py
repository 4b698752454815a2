"""`:regions` at 80x24 on the demo account: `G` shows the row it moved to. The line
under the table named the last region (``us-west-2: instances: 0``) while the table
showed the one before it last, nothing highlighted, and space toggled it unseen: the
line under the table grew by the status's line after the table had scrolled."""

from __future__ import annotations

import re

from textual.widgets import DataTable

from awsir_tui.demo.server import DemoServer
from awsir_tui.ui.ec2_instances import InstancesView
from awsir_tui.ui.regions import RegionsView
from tests.helpers_app import demo_app, open_view, screen_text, wait_for

REGION = re.compile(r"\b[a-z]{2}(?:-[a-z]+)+-\d\b")


def table_lines(view: RegionsView) -> list[str]:
    """The table's lines on screen, as the responder reads them."""
    table = view.query_one(DataTable)
    return screen_text(view.app).splitlines()[table.region.y:table.region.bottom]


async def test_g_shows_the_last_region_whose_status_the_hint_says(demo: DemoServer) -> None:
    app = demo_app(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, InstancesView), "the first view")
        view = await open_view(pilot, app, "regions")
        assert isinstance(view, RegionsView)
        table = view.query_one(DataTable)
        await wait_for(pilot, lambda: table.row_count > 15, "the account's regions")
        last = view._regions[-1].name
        # Select the last region too: the instances list reads it, and its status
        # (``instances: 0``) is the second line under the table when the cursor is on it.
        await pilot.press("G", "space", "enter")
        await wait_for(pilot, lambda: "instances" in app.region_status.get(last, ""),
                       f"{last}'s status")
        view = await open_view(pilot, app, "regions")
        await pilot.press("g")
        await wait_for(pilot, lambda: table.cursor_row == 0, "the cursor on the first row")
        await pilot.press("G")
        await wait_for(pilot, lambda: f"{last}: instances" in screen_text(app),
                       "the line under the table naming the last region")
        await pilot.pause()
        shown = table_lines(view)
        assert any(f" {last} " in line for line in shown), "\n".join(shown)
        assert highlighted(view) == last


def highlighted(view: RegionsView) -> str:
    """The region on the line drawn in the cursor's colours ('' if none is)."""
    table = view.query_one(DataTable)
    cursor = table.get_component_styles("datatable--cursor").rich_style.bgcolor
    strips = view.app.screen._compositor.render_strips()[table.region.y:table.region.bottom]
    for strip in strips:
        if any(segment.style and segment.style.bgcolor == cursor and segment.text.strip()
               for segment in strip):
            found = REGION.search("".join(segment.text for segment in strip))
            return found.group() if found else ""
    return ""
