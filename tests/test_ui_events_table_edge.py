"""The events table never cuts a value silently at the edge of the view.

At 80x24 a vertical scrollbar took the last two cells and the source IP lost its last
digit: ``035.249.253.23`` shown for ``035.249.253.232``, another valid address. The five
first columns now fit beside the scrollbar, and a value cut by either edge of the view
(a narrower terminal, a horizontal scroll) ends or starts with "…".
"""

from __future__ import annotations

import re
from typing import Any

from textual.pilot import Pilot

from awsir_tui.app import AwsirApp
from awsir_tui.cli import Options
from awsir_tui.ui.events_view import EventsView
from awsir_tui.ui.virtual_table import VirtualTable
from tests.helpers_app import screen_text, wait_for
from tests.helpers_events import SHARED
from tests.helpers_ui_events import offline_app

IP = "035.249.253.232"
ADDRESS = re.compile(r"\d+\.[\d.]*\u2026?")


def table_lines(app: AwsirApp, table: VirtualTable) -> list[str]:
    """The table's rows as the terminal shows them, without the scrollbar's cells."""
    region = table.scrollable_content_region
    lines = screen_text(app).splitlines()[region.y + 1:region.bottom]
    return [line[region.x:region.right] for line in lines]


def silently_cut(lines: list[str], real: set[str]) -> list[str]:
    """Lines showing an address that is a strict prefix of a real one with no "…"."""
    return [line for line in lines for shown in ADDRESS.findall(line)
            if not shown.endswith("\u2026") and shown not in real
            and any(ip.startswith(shown) for ip in real)]


async def loaded(pilot: Pilot[Any], app: AwsirApp) -> tuple[VirtualTable, set[str]]:
    """The events table once ``--source`` loaded, and every source IP in it."""
    await wait_for(pilot, lambda: isinstance(app.screen, EventsView)
                   and "loaded" in screen_text(app), "archive loaded")
    view = app.screen
    assert isinstance(view, EventsView)
    table = view.table
    rows = [table.row(i) for i in range(table.row_count)]
    real = {row.source_ip for row in rows if row is not None}
    assert IP in real and table.row_count > table.scrollable_content_region.height
    return table, real


async def test_the_source_ip_shows_whole_beside_the_scrollbar_at_80x24() -> None:
    app = offline_app(Options(sources=[str(SHARED)]))
    async with app.run_test(size=(80, 24)) as pilot:
        table, real = await loaded(pilot, app)
        await wait_for(pilot, lambda: any("InvokeModel" in line
                                          for line in table_lines(app, table)), "row drawn")
        lines = table_lines(app, table)
        invoke = next(line for line in lines if "InvokeModel" in line)
        assert IP in invoke, invoke
        assert not silently_cut(lines, real)


async def test_a_value_cut_by_either_edge_says_so() -> None:
    """60 columns cut the user name, a scroll right the source IP; a scroll into the
    middle of a column cuts its start."""
    app = offline_app(Options(sources=[str(SHARED)]))
    async with app.run_test(size=(60, 20)) as pilot:
        table, real = await loaded(pilot, app)
        await wait_for(pilot, lambda: any("InvokeModel" in line
                                          for line in table_lines(app, table)), "row drawn")
        invoke = next(line for line in table_lines(app, table) if "InvokeModel" in line)
        assert invoke.rstrip().endswith("cli")  # short enough to end before the edge
        assert any(line.endswith("\u2026") for line in table_lines(app, table))
        await pilot.press("l")  # the user name at the left of the columns that scroll
        await wait_for(pilot, lambda: table.scroll_x > 0, "scrolled right")
        await pilot.pause()
        assert not silently_cut(table_lines(app, table), real)
        # The flag and the time stay; the rest scrolls beside them.
        fixed = sum(c.width + 1 for c in table.columns[:2])
        ip_start = sum(c.width + 1 for c in table.columns[2:4])
        room = table.scrollable_content_region.width - fixed
        table.scroll_to(x=ip_start + 4 - room, animate=False)  # the IP meets the right edge
        await wait_for(pilot, lambda: table.scroll_x == ip_start + 4 - room, "IP at the edge")
        await pilot.pause()
        lines = table_lines(app, table)
        assert not silently_cut(lines, real)
        assert any(IP.startswith(line.split()[-1][:-1]) and line.endswith("\u2026")
                   for line in lines), lines
        table.scroll_to(x=ip_start + 4, animate=False)
        await wait_for(pilot, lambda: table.scroll_x == ip_start + 4, "scrolled into the IP")
        await pilot.pause()
        index = next(i for i in range(table.row_count)
                     if getattr(table.row(i), "event_name", "") == "InvokeModel")
        line = table_lines(app, table)[index - int(table.scroll_y)]
        assert line[fixed:].startswith("\u2026" + IP[5:]), line
        assert table.row(index).event_time.strftime("%m-%d %H:%M:%S") in line[:fixed]
