"""`x`/`X` in `:events` while Event history is still being read: the responder is
asked first, and every export is written with its coverage beside it, so that whoever
receives the file knows whether it is partial. Keys pressed on the demo account, 80x24."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from awsir_tui.app import AwsirApp
from awsir_tui.demo.server import DemoServer
from awsir_tui.events.coverage import sidecar_path
from awsir_tui.ui.base import View
from awsir_tui.ui.dialogs import Confirm
from awsir_tui.ui.events_view import EventsView
from tests.helpers_app import demo_app, open_view, screen_text, wait_for


@pytest.fixture
def exports(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("AWSIR_TUI_EXPORT_DIR", str(tmp_path / "exports"))
    return tmp_path / "exports"


def reading(view: EventsView) -> bool:
    """Event history rows are arriving: some are in, the regions are not done."""
    progress = view._progress
    return progress is not None and progress.running and view.table.row_count > 0


def exported(exports: Path, extension: str) -> list[Path]:
    return sorted(exports.glob(f"events-*.{extension}")) if exports.is_dir() else []


@contextlib.asynccontextmanager
async def events_on_demo(
    demo: DemoServer,
) -> AsyncIterator[tuple[Pilot[Any], AwsirApp, EventsView]]:
    """The app on the demo account at 80x24, `:events` typed on its first view."""
    app = demo_app(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, View), "the first view")
        view = await open_view(pilot, app, "events")
        assert isinstance(view, EventsView)
        yield pilot, app, view


async def test_export_while_loading_asks_and_writes_its_coverage(
    demo: DemoServer, exports: Path
) -> None:
    async with events_on_demo(demo) as (pilot, app, view):
        await wait_for(pilot, lambda: reading(view), "rows arriving")
        # n: nothing is written.
        await pilot.press("x")
        await wait_for(pilot, lambda: isinstance(app.screen, Confirm), "the question")
        shown = screen_text(app)
        assert "still being read" in shown and "regions done" in shown
        assert "coverage" in shown
        await pilot.press("n")
        await wait_for(pilot, lambda: app.screen is view, "back to the events")
        await pilot.pause(0.3)
        assert exported(exports, "jsonl") == []
        # Y: what has arrived is written, and said to be partial, in the file beside it.
        if not reading(view):
            pytest.skip("the demo's Event history was read whole before the second x")
        await pilot.press("x")
        await wait_for(pilot, lambda: isinstance(app.screen, Confirm), "the question again")
        await pilot.press("Y")
        await wait_for(pilot, lambda: len(exported(exports, "jsonl")) == 1, "the export")
        (path,) = exported(exports, "jsonl")
        sidecar = sidecar_path(path)
        assert sidecar.exists()
        await wait_for(pilot, lambda: any(sidecar.name in str(n.message)
                                          for n in app._notifications), "the notice")
        notice = next(str(n.message) for n in app._notifications
                      if sidecar.name in str(n.message))
        assert "PARTIAL: still loading" in notice
        text = sidecar.read_text()
        assert text.startswith("coverage: PARTIAL: still loading (")
        assert "read: still loading when exported: " in text
        assert f"regions asked: {', '.join(demo.regions)}" in text
        written = len(path.read_text().splitlines())
        assert f"events written: {written:,}\n" in text
        await wait_for(pilot, lambda: "PARTIAL exported" in screen_text(app), "the status")


async def test_export_of_a_finished_read_asks_nothing_and_says_complete(
    demo: DemoServer, exports: Path
) -> None:
    async with events_on_demo(demo) as (pilot, app, view):
        await pilot.press("slash", *"name:RunInstances", "enter")
        await wait_for(pilot, lambda: view._progress is not None and view.filter_text
                       == "name:RunInstances" and not view._progress.running
                       and view._progress.regions_done == view._progress.regions,
                       "the read done")
        await pilot.press("X")
        await wait_for(pilot, lambda: len(exported(exports, "csv")) == 1, "the export")
        assert not isinstance(app.screen, Confirm)
        (path,) = exported(exports, "csv")
        text = sidecar_path(path).read_text()
        assert text.startswith("coverage: COMPLETE\n")
        assert "filter: name:RunInstances\n" in text
        assert "read: finished\n" in text
