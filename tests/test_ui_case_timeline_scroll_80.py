""":timeline at 80x24 over the demo's attack, its calls marked with m in :events (as QA
walked it): who made each call whole (`l` away beside the error codes, #5) after event
names that still tell the call, and l scrolling by whole columns. Who was 9 cells
(``i-b2547…``) while the outcome had 21, then 14 (``i-b2547952490…``, responder
review), and l scrolled only to the table's end: the time column cut to ``5:28:39``
at the left."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from awsir_tui.app import AwsirApp
from awsir_tui.demo.scenario import Facts
from awsir_tui.demo.server import DemoServer
from awsir_tui.ui.case_timeline import COLUMNS, CUT_NAME, TimelineView
from awsir_tui.ui.events_view import EventsView
from tests.helpers_app import demo_app, open_view, screen_text, wait_for
from tests.helpers_ui_events import account_ready

#: The attacker's calls marked (the longest name is 29 letters).
MARKED = 6


@pytest.fixture(autouse=True)
def isolated_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))


def header(app: AwsirApp) -> str:
    """The table's header: the line under the title bar and the breadcrumb."""
    return screen_text(app).splitlines()[2]


def told(name: str) -> str:
    """What of an event's name the table shows at least: whole, or cut where it still
    tells the call (AuthorizeSecurityGroupI…)."""
    return name if len(name) <= CUT_NAME else name[:CUT_NAME - 1]


async def scroll_to_why(pilot: Pilot[Any], app: AwsirApp) -> None:
    """l until why shows, a column at a time (at most one per column)."""
    for _ in range(len(COLUMNS)):
        if "why" in header(app).split():
            break
        await pilot.press("l")
        await pilot.pause()
    await wait_for(pilot, lambda: "why" in header(app).split(), "why in sight")


def table_rows(app: AwsirApp, names: set[str]) -> list[str]:
    """The table's lines of the events named ``names`` (not the pane's under it)."""
    lines = screen_text(app).split("\u2500" * 10)[0].splitlines()
    return [line for line in lines if any(f" {told(name)}" in line for name in names)]


async def test_who_is_readable_and_l_scrolls_by_whole_columns(
    demo: DemoServer, demo_facts: Facts,
) -> None:
    app = demo_app(demo, first_view="regions")
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: account_ready(app), "the account")
        events = await open_view(pilot, app, "events")
        assert isinstance(events, EventsView)
        await pilot.press("slash", *f"ip:{demo_facts.attacker_ip}", "enter")
        await wait_for(pilot, lambda: events._progress is not None
                       and not events._progress.running
                       and events.table.row_count >= MARKED, "the attacker's calls")
        for _ in range(MARKED):
            await pilot.press("m", "j")
        await wait_for(pilot, lambda: app.case is not None
                       and len(app.case.case.timeline) == MARKED, "the calls marked")
        view = await open_view(pilot, app, "timeline")
        assert isinstance(view, TimelineView)
        names = {entry.event_name for entry in app.case.case.timeline.values()}  # type: ignore[union-attr]
        await wait_for(pilot, lambda: all(told(name) in screen_text(app) for name in names),
                       "every event name")
        assert len(table_rows(app, names)) == MARKED, table_rows(app, names)
        # Who, l away beside the error codes: the instance ID the stolen session is
        # named by, whole in every row.
        who = demo_facts.proxy_instance_id
        for _ in range(2):
            if "who" not in header(app).split():
                await pilot.press("l")
                await pilot.pause()
        await wait_for(pilot, lambda: "who" in header(app).split(), "who in sight")
        rows = screen_text(app).split("\u2500" * 10)[0].splitlines()[3:3 + MARKED]
        assert all(f" {who} " in f"{row} " for row in rows), rows
        # l: whole columns at the left edge, up to why, which shows (the outcome first,
        # whole, where the time was); h back.
        await scroll_to_why(pilot, app)
        assert header(app).split()[0] in COLUMNS, header(app)
        rows = screen_text(app).split("\u2500" * 10)[0].splitlines()[3:3 + MARKED]
        assert all(line.split()[-1] == "marked" for line in rows), rows
        await pilot.press("h")
        await wait_for(pilot, lambda: header(app).split()[0] in COLUMNS
                       and "why" not in header(app).split(), "a column back")


async def test_l_scrolls_by_whole_columns_with_more_rows_than_the_screen_shows() -> None:
    """With a vertical scrollbar the columns were sized to the table's whole width:
    scrolled to its end, the left edge cut two cells into `what` (`escribeImages`)."""
    from awsir_tui.cli import Options
    from tests.helpers_events import SHARED
    from tests.helpers_ui_events import archive_loaded, offline_app

    many = 25  # more than the table shows at 80x24
    app = offline_app(Options(sources=[str(SHARED)]))
    async with app.run_test(size=(80, 24)) as pilot:
        view = await archive_loaded(pilot, app)  # and the case open, which m marks in
        await wait_for(pilot, lambda: view.table.peek_row(0) is not None, "the first row read")
        case = app.case
        assert case is not None
        for _ in range(many):
            await pilot.press("m", "j")
        await wait_for(pilot, lambda: len(case.case.timeline) == many, "the events marked")
        timeline = await open_view(pilot, app, "timeline")
        assert isinstance(timeline, TimelineView)
        await wait_for(pilot, lambda: "what" in screen_text(app), "the timeline")
        await scroll_to_why(pilot, app)
        assert header(app).split()[0] in COLUMNS, header(app)
