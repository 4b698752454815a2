"""L continues an archive load that no events view started (#5): `:findings` opened
before `:events` loads the archive itself, C there cancels it, and "L continues it"
was then answered by "open :events: L there continues the archive's load". L opens
the events view `:events` opens and goes on there: its rows, progress, C and the
notice at the end. Keys at 80x24, over a load held file by file."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

from textual.pilot import Pilot

from awsir_tui.app import AwsirApp
from awsir_tui.events.sources import ArchiveSource
from awsir_tui.ui.events_view import EventsView
from awsir_tui.ui.findings_view import FindingsView
from awsir_tui.ui.load_view import LoadView
from tests.helpers_app import open_view, said_after, screen_text, wait_for
from tests.helpers_ui_events import account_ready, offline_app, status_line
from tests.test_ui_events_store import SteppedLoadStore, write_copies
from tests.test_ui_load_continue import load_over, stored_once
from tests.test_ui_load_continue_views import every_event


@contextlib.asynccontextmanager
async def findings_loading(
    folder: Path,
) -> AsyncIterator[tuple[Pilot[Any], AwsirApp, SteppedLoadStore, ArchiveSource, int]]:
    """`:findings` at 80x24 as the first view after the app's: its run loads the
    session's archive of 8 files of ``folder``, held after the first and cancelled by C
    there. The files read before it stopped go with the rest."""
    write_copies(folder)
    store = SteppedLoadStore()
    archive = ArchiveSource([str(folder)], store)
    app = offline_app()
    app.archive = archive  # the session's archive, as --source makes it
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await wait_for(pilot, lambda: account_ready(app), "regions")
            findings = await open_view(pilot, app, "findings")
            assert isinstance(findings, FindingsView)
            await wait_for(pilot, lambda: archive.progress is not None
                           and archive.progress.files_done >= 1, "the findings' load")
            assert not any(isinstance(s, EventsView) for s in app.screen_stack)
            await pilot.press("C")
            store.permits.release(1)
            await wait_for(pilot, lambda: archive.report is not None, "the load cancelled")
            assert archive.report is not None and archive.report.cancelled
            first = archive.report.files_read
            assert first < 8
            yield pilot, app, store, archive, first
    finally:
        store.permits.release(1_000)
        store.close()


async def the_rest_loaded(pilot: Pilot[Any], app: AwsirApp, view: EventsView,
                          store: SteppedLoadStore, archive: ArchiveSource, first: int) -> None:
    """``view`` goes on with the load (its progress, C) to every file, and lists it all."""
    assert isinstance(view, EventsView) and view.top_level == "events"
    assert view.source is archive
    await wait_for(pilot, lambda: f"0/{8 - first} files" in status_line(view),
                   "the load going on, its progress in the events view")
    assert "(C: cancel)" in status_line(view)
    store.permits.release(100)
    every = every_event()
    await wait_for(pilot, lambda: load_over(view, "loaded "), "the load done")
    assert stored_once(archive) == (every, every)
    report = archive.report
    assert report is not None and report.files_read == 8 and not report.cancelled
    await wait_for(pilot, lambda: f"{every:,} events" in screen_text(app),
                   "every event in its rows")


async def test_L_in_findings_that_loaded_the_archive_continues_its_load(
    tmp_path: Path,
) -> None:
    async with findings_loading(tmp_path) as (pilot, app, store, archive, first):
        said = await said_after(pilot, app, "L", "endpoint URL")
        assert said == (f"continuing the load: {8 - first} files not reached (:events "
                        "shows the rows, :load the load)"), said
        view = app.screen
        assert isinstance(view, EventsView)
        await the_rest_loaded(pilot, app, view, store, archive, first)
        # `:events` later is this view, not a second one.
        await open_view(pilot, app, "findings")
        assert isinstance(app.screen, FindingsView)
        await open_view(pilot, app, "events")
        assert app.screen is view
        assert [s for s in app.screen_stack if isinstance(s, EventsView)] == [view]


async def test_L_in_load_over_a_findings_events_continues_in_the_archives_events(
    tmp_path: Path,
) -> None:
    """Over a finding's events (a drill-down's, whose L is theirs), `:load`, L: the
    archive's events view goes on with the load over `:load`, and Esc comes back to it
    and then to the finding's events, as they were (`:events` there would have closed
    them: a key meaning "go on loading" threw away the list being read)."""
    async with findings_loading(tmp_path) as (pilot, app, store, archive, first):
        findings = app.screen
        assert isinstance(findings, FindingsView)
        await wait_for(pilot, lambda: not findings.running and bool(findings.findings),
                       "the findings of the files read")
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, EventsView), "its events")
        drilled = app.screen
        assert isinstance(drilled, EventsView) and drilled.source is not archive
        page = await open_view(pilot, app, "load")
        assert isinstance(page, LoadView)
        said = await said_after(pilot, app, "L", "endpoint URL")
        assert said == f"continuing the load: {8 - first} files not reached", said
        view = app.screen
        assert isinstance(view, EventsView) and view is not drilled
        assert app.screen_stack[-3:] == [drilled, page, view]
        await the_rest_loaded(pilot, app, view, store, archive, first)
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is page, "back to :load")
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is drilled, "the finding's events again")
