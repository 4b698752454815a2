"""q asks before it loses events that take time to read again (responder review, #5):
q closes a pager in less and vim, and pressed on an event's page it quit at once,
losing an archive held in memory (30 s to load the demo's S3 bucket, minutes for a
real one) and the Event history read. Where nothing costly would go, q quits at once."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from textual.widgets import Static

from awsir_tui.app import AwsirApp
from awsir_tui.cli import Options
from awsir_tui.demo.server import DemoServer
from awsir_tui.events.sources import ArchiveSource
from awsir_tui.ui.dialogs import Confirm
from awsir_tui.ui.events_detail import EventDetailView
from awsir_tui.ui.events_view import EventsView
from tests.helpers_app import demo_app, open_view, screen_text, wait_for
from tests.helpers_events import all_records
from tests.helpers_ui_events import archive_loaded, offline_app


def archive_app(tmp_path: Path, store: Path | None = None) -> AwsirApp:
    """The app as ``--source`` (and ``--store``) makes it, on the demo's records."""
    (tmp_path / "logs.json").write_text(json.dumps({"Records": all_records()}))
    return offline_app(Options(sources=[str(tmp_path / "logs.json")],
                               store=str(store) if store else None))


def question(app: AwsirApp) -> str:
    """What the quit's question says, whole (the screen folds it to the box)."""
    return str(app.screen.query_one("#confirm-question", Static).render())


@pytest.mark.parametrize("again", ["q", "y"])
async def test_q_on_an_events_page_asks_before_losing_an_archive_held_in_memory(
    tmp_path: Path, again: str
) -> None:
    app = archive_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await archive_loaded(pilot, app)
        archive = app.archive
        assert isinstance(archive, ArchiveSource)
        held = archive.store.count()
        await pilot.press("enter")  # the event's page
        await wait_for(pilot, lambda: isinstance(app.screen, EventDetailView), "the page")
        page = app.screen
        await pilot.press("q")
        await wait_for(pilot, lambda: isinstance(app.screen, Confirm)
                       and "= quit" in screen_text(app), "the question")
        said = question(app)
        assert said.startswith(f"Quit? It loses the {held:,} events loaded from")
        assert said.endswith(", held in memory only (--store FILE keeps them for the next start).")
        assert "q / y = quit    n / Esc = stay" in screen_text(app)
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is page, "back on the page")
        assert app.is_running and app.return_code is None
        assert archive.store.count() == held  # the store is still there
        await pilot.press("q")
        await wait_for(pilot, lambda: isinstance(app.screen, Confirm), "asked again")
        await pilot.press(again)
        await wait_for(pilot, lambda: not app.is_running, "quit")
    assert app.return_code == 0


async def test_n_stays_and_an_archive_kept_in_a_store_file_quits_at_once(tmp_path: Path) -> None:
    """With --store the events are in the file for the next start: nothing to ask."""
    app = archive_app(tmp_path, store=tmp_path / "case.duckdb")
    async with app.run_test(size=(80, 24)) as pilot:
        await archive_loaded(pilot, app)
        await pilot.press("q")
        await wait_for(pilot, lambda: not app.is_running, "quit")
    assert app.return_code == 0


async def test_q_asks_before_losing_the_event_history_read(demo: DemoServer) -> None:
    app = demo_app(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: getattr(app.screen, "loaded", 0), "instances")
        events = await open_view(pilot, app, "events")
        assert isinstance(events, EventsView)
        selection = events.selection
        await wait_for(pilot, lambda: selection is not None and not selection.is_filling()
                       and events.table.row_count > 0, "Event history read", seconds=60)
        await pilot.press("q")
        await wait_for(pilot, lambda: isinstance(app.screen, Confirm)
                       and "= quit" in screen_text(app), "the question")
        read = events.history_events()
        assert read and question(app).startswith(
            f"Quit? It loses the {read:,} events read from Event history this session")
        await pilot.press("n")
        await wait_for(pilot, lambda: app.screen is events, "stayed")
        assert app.is_running and app.return_code is None


async def test_q_with_only_the_instances_read_quits_at_once(demo: DemoServer) -> None:
    app = demo_app(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: getattr(app.screen, "loaded", 0), "instances")
        await pilot.press("q")
        await wait_for(pilot, lambda: not app.is_running, "quit")
    assert app.return_code == 0
