"""The events table says which columns are off its sides (Textual Pilot, 80x24, an archive).

Its horizontal scrollbar drew, in terminals that do not show its thumb's colours, one
stray `▌` at about column 26 of the line above the footer, and nothing said that the
error code, the region and the rest were an `l` away.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from textual.widgets import Static

from awsir_tui.cli import Options
from awsir_tui.demo.server import DemoServer
from awsir_tui.ui.events_view import EventsView
from tests.helpers_app import demo_app, open_view, screen_text, wait_for
from tests.helpers_events import all_records
from tests.helpers_ui_events import account_ready, offline_app


def above_footer(text: str) -> str:
    return text.splitlines()[-2]


async def test_the_line_under_the_table_names_the_columns_off_its_sides(tmp_path: Path) -> None:
    (tmp_path / "logs.json").write_text(json.dumps({"Records": all_records()}))
    app = offline_app(Options(sources=[str(tmp_path)]))
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, EventsView)
                       and "loaded" in screen_text(app), "archive loaded")
        await wait_for(pilot, lambda: above_footer(screen_text(app)).startswith(
            "l \u2192 error code, region,"), "the columns to the right")
        assert not set(above_footer(screen_text(app))) & set("\u258f\u258c\u2590")
        await pilot.press("l", "l")
        await wait_for(pilot, lambda: above_footer(screen_text(app)).startswith(
            "h \u2190 event name, user name   l \u2192 event source"),
            "the columns to the left too")


async def test_the_time_stays_in_sight_when_l_scrolls_to_the_error_code(tmp_path: Path) -> None:
    """After l, the error code and the region showed beside no time: the flag and the
    time columns scrolled off first. They stay; the other columns scroll beside them."""
    records = all_records()
    (tmp_path / "logs.json").write_text(json.dumps({"Records": records}))
    failed = next(r for r in records if r.get("errorCode"))
    app = offline_app(Options(sources=[str(tmp_path)]))
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, EventsView)
                       and "loaded" in screen_text(app), "archive loaded")
        await pilot.press("slash", *f"id:={failed['eventID']}", "enter")
        when = failed["eventTime"][5:19].replace("T", " ")  # 11-26 15:35:23
        await wait_for(pilot, lambda: when in screen_text(app), "the failed call")
        await pilot.press("l")
        await wait_for(pilot, lambda: above_footer(screen_text(app)).startswith(
            "h \u2190 event name   l \u2192 region"), "scrolled one column")
        lines = screen_text(app).splitlines()
        top = next(n for n, line in enumerate(lines) if line.startswith("! "))
        header, row = lines[top], lines[top + 1]
        assert header.startswith("! 2024 (UTC)     user name")
        assert row[2:16] == when
        assert failed["errorCode"][:20] in row


async def test_the_line_is_not_worked_out_again_for_every_batch_of_rows(
    demo: DemoServer, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Event history streams in page by page, each growing the table: the line was
    worked out again after every one (the table's size), though the columns and the
    scroll had not moved. It is once the columns, the scroll or the width change."""
    worked_out: list[str] = []
    show = EventsView._show_hidden_columns

    def counted(view: EventsView) -> None:
        show(view)
        worked_out.append(str(view.query_one("#events-columns", Static).render()))

    monkeypatch.setattr(EventsView, "_show_hidden_columns", counted)
    app = demo_app(demo, first_view="regions")
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: account_ready(app), "the account")
        view = await open_view(pilot, app, "events")
        assert isinstance(view, EventsView)
        await wait_for(pilot, lambda: view._progress is not None
                       and not view._progress.running
                       and view.table.row_count > 1000, "Event history read")
        await wait_for(pilot, lambda: above_footer(screen_text(app)).startswith(
            "l \u2192 error code"), "the columns to the right")
        pages = view._progress.pages
        assert pages > 20
        assert len(worked_out) <= 4, (pages, worked_out)
        await pilot.press("l")
        await wait_for(pilot, lambda: above_footer(screen_text(app)).startswith(
            "h \u2190 event name   l \u2192 region"), "the column to the left too")
