"""C cancels an archive load from `:load` and `:findings` too, as in the events view
(QA, #5): there it did nothing, and a responder waiting on a million events had to
go back to the events view to stop them."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

from textual.app import App
from textual.pilot import Pilot

from awsir_tui.events.sources import ArchiveSource
from awsir_tui.ui.findings_view import FindingsView
from tests.helpers_app import open_view, screen_text, wait_for
from tests.test_ui_events_store import SteppedLoadStore, viewing_load, write_copies


def said(app: App[Any]) -> list[str]:
    """Every toast so far."""
    return [str(n.message) for n in app._notifications]


@contextlib.asynccontextmanager
async def load_page_mid_load(
    folder: Path,
) -> AsyncIterator[tuple[Pilot[Any], SteppedLoadStore, ArchiveSource]]:
    """`:load` opened while the load of eight copies of the Stratus logs into
    ``folder`` is held after its first file (``store.permits`` lets it go on)."""
    write_copies(folder)
    async with viewing_load(folder) as (pilot, _, store, archive):
        app = pilot.app
        await wait_for(pilot, lambda: "1/8 files" in screen_text(app), "the load under way")
        await open_view(pilot, app, "load")  # type: ignore[arg-type]
        await wait_for(pilot, lambda: "loading\u2026" in screen_text(app), "the load page")
        yield pilot, store, archive


async def test_C_in_load_cancels_the_load(tmp_path: Path) -> None:
    async with load_page_mid_load(tmp_path) as (pilot, store, archive):
        app = pilot.app
        await pilot.press("C")
        await wait_for(pilot, lambda: any("cancelling the archive load" in s for s in said(app)),
                       "C said")
        store.permits.release(8)
        await wait_for(pilot, lambda: archive.report is not None, "the load over")
        assert archive.report is not None and archive.report.cancelled
        await wait_for(pilot, lambda: "cancelled" in screen_text(app), "the page says so")
        # Nothing left to cancel: C is no longer offered in the footer.
        await wait_for(pilot, lambda: "Cancel load" not in screen_text(app).splitlines()[-1],
                       "C gone from the footer")


async def test_C_is_offered_while_the_load_runs(tmp_path: Path) -> None:
    async with load_page_mid_load(tmp_path) as (pilot, store, archive):
        app = pilot.app
        await wait_for(pilot, lambda: "Cancel load" in screen_text(app).splitlines()[-1],
                       "C in the footer")
        store.permits.release(8)
        await wait_for(pilot, lambda: archive.report is not None
                       and "Cancel load" not in screen_text(app).splitlines()[-1],
                       "the load over, C gone")


async def test_C_in_findings_cancels_the_load_and_judges_what_arrived(tmp_path: Path) -> None:
    """`:findings` waiting for the load ("waiting for the archive to load… 85,000
    events so far") took no C: the detections run over the events it read."""
    records = write_copies(tmp_path)
    async with viewing_load(tmp_path) as (pilot, _, store, archive):
        app = pilot.app
        await wait_for(pilot, lambda: "1/8 files" in screen_text(app), "the load under way")
        await open_view(pilot, app, "findings")  # type: ignore[arg-type]
        await pilot.press("A")  # all the archive's events, not the events view's rows
        await wait_for(pilot, lambda: "waiting for the archive to load" in screen_text(app)
                       and "C: cancel" in screen_text(app), "the findings waiting")
        await pilot.press("C")
        await wait_for(pilot, lambda: any("cancelling the archive load" in s for s in said(app)),
                       "C said")
        store.permits.release(8)
        # Over what arrived: the run done ("finding" alone is in the crumb all along).
        await wait_for(pilot, lambda: isinstance(app.screen, FindingsView)
                       and not app.screen.running and app.screen.scope is not None
                       and "load was cancelled" in screen_text(app), "the findings, partial")
        assert archive.report is not None and archive.report.cancelled
        assert store.count() < 8 * len(records)


async def test_findings_over_the_events_view_wait_for_its_archive_to_load(
    tmp_path: Path,
) -> None:
    """QA: `:findings` opened from the events view during a load judged the rows stored
    so far (693,079 of a million) and said nothing partial. It waits for the load, then
    judges every event of the view's rows."""
    records = write_copies(tmp_path)
    async with viewing_load(tmp_path) as (pilot, _, store, archive):
        app = pilot.app
        await wait_for(pilot, lambda: "1/8 files" in screen_text(app), "the load under way")
        await open_view(pilot, app, "findings")  # type: ignore[arg-type]
        await wait_for(pilot, lambda: "waiting for the archive to load" in screen_text(app),
                       "the findings waiting")
        view = app.screen
        assert isinstance(view, FindingsView) and view.scope is not None
        assert view.scope.borrowed and view.running
        store.permits.release(8)
        await wait_for(pilot, lambda: not view.running and view.events_read > 0, "the run")
        assert archive.report is not None and not archive.report.cancelled
        assert view.events_read == 8 * len(records) == store.count()
