"""C on a running Event history read says it was cancelled, what is missing and how to
go on, in the first 80 columns, and L goes on (#4).

QA cancelled `readonly:false` at 80x24: the status read `799 events · complete after …
· 1/3 regions · 16 pages`, no toast, no "cancelled", nothing said L would go on.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from awsir_tui.app import AwsirApp
from awsir_tui.demo.server import DemoServer
from awsir_tui.events.coverage import sidecar_path
from awsir_tui.events.sources import DEFAULT_CAP
from awsir_tui.ui.events_view import EventsView
from tests.helpers_app import demo_context, screen_text, wait_for
from tests.helpers_ui_events import account_ready

SIZE = (80, 24)


@pytest.fixture(autouse=True)
def isolated_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("AWSIR_TUI_EXPORT_DIR", str(tmp_path / "exports"))
    return tmp_path / "exports"


def status_row(app: AwsirApp, view: EventsView) -> str:
    """The status line as the 80-column screen shows it."""
    region = view.query_one("#events-progress").region
    return screen_text(app).splitlines()[region.y]


def notes(app: AwsirApp) -> list[str]:
    return [str(n.message) for n in app._notifications]


async def test_C_says_cancelled_what_is_missing_and_L_goes_on(
    demo: DemoServer, isolated_dirs: Path
) -> None:
    from awsir_tui.cli import Options

    app = AwsirApp(Options(), demo_context(demo), first_view="regions")
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: account_ready(app), "regions view")
        app.open_view("events", filter_text="readonly:false")
        await wait_for(pilot, lambda: isinstance(app.screen, EventsView)
                       and app.screen._progress is not None
                       and app.screen._progress.pages > 0, "the first page")
        view = app.screen
        assert isinstance(view, EventsView) and view.selection is not None
        feed = view.selection.feed
        assert feed is not None
        await pilot.press("C")
        await wait_for(pilot, lambda: view._progress is not None
                       and not view._progress.running
                       and not feed.lookup.progress().running, "the read stopped")
        progress = feed.lookup.progress()
        assert progress.cancelled and not progress.capped
        unfinished = progress.regions - progress.regions_done
        assert unfinished > 0
        await wait_for(pilot, lambda: "cancelled" in status_row(app, view), "the status")
        row = status_row(app, view)
        # All within the 80 columns, what to do first.
        assert progress.complete_after is not None
        assert row.startswith(
            f"L: go on  cancelled: {unfinished}/{progress.regions} regions not done · "
            f"complete after {progress.complete_after:%m-%d %H:%M:%S} UTC"), row
        assert any(note.startswith("Event history read cancelled") and "L goes on" in note
                   for note in notes(app))

        # An export now says PARTIAL, as the status does, and how to go on.
        await pilot.press("x")
        await wait_for(pilot, lambda: any("coverage:" in note for note in notes(app)),
                       "the export's notice")
        notice = next(note for note in notes(app) if "coverage:" in note)
        assert "PARTIAL: read cancelled, only complete after " in notice
        assert "(L goes on)" in notice
        (written,) = [p for p in isolated_dirs.iterdir() if p.suffix == ".jsonl"]
        assert sidecar_path(written).read_text().startswith(
            "coverage: PARTIAL: read cancelled, only complete after ")

        # L goes on from where each region stopped, to the same cap, not 2,000 more.
        await pilot.press("L")
        await wait_for(pilot, lambda: feed.lookup.progress().running
                       or feed.lookup.progress().regions_done > progress.regions_done
                       or feed.lookup.progress().pages > progress.pages, "the read going on")
        assert feed.lookup.cap == DEFAULT_CAP
        await wait_for(pilot, lambda: "cancelled" not in status_row(app, view),
                       "the status no longer cancelled")
