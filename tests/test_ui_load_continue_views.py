"""L continues a cancelled archive load where the notice saying so is read (#5,
responder review at 80x24): "cancelled (L continues it)" came up over whatever view was
on top, and L did so only in the archive's events view. In `:load` L continues it,
listed in the footer and `?` while there is something to continue, the page following
the load; in a view where L means nothing else (:stack) it continues it too; where L is
the view's own (a drill-down's events) the notice says where L continues it. Keys at
80x24, over a load held file by file."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

from textual.pilot import Pilot

from awsir_tui.app import AwsirApp
from awsir_tui.events.sources import ArchiveSource
from awsir_tui.ui.dialogs import HelpScreen
from awsir_tui.ui.events_view import EventsView
from awsir_tui.ui.load_view import LoadView
from awsir_tui.ui.stack_view import StackView
from tests.helpers_app import open_view, said_after, screen_text, wait_for
from tests.helpers_events import all_records
from tests.test_ui_events_store import SteppedLoadStore, viewing_load, write_copies
from tests.test_ui_load_continue import CANCELLED, load_over, stored_once
from tests.test_ui_stack_partial import status


def footer(app: AwsirApp) -> str:
    """The footer: the screen's last line."""
    return screen_text(app).splitlines()[-1]


def noticed(app: AwsirApp, text: str) -> bool:
    """A notification on screen says ``text``."""
    return any(text in str(note.message) for note in app._notifications)


@contextlib.asynccontextmanager
async def loading(
    folder: Path,
) -> AsyncIterator[tuple[Pilot[Any], AwsirApp, EventsView, SteppedLoadStore, ArchiveSource]]:
    """The archive's events view at 80x24 over a load of 8 files of ``folder`` held
    after the first (each next batch waits for ``store.permits``)."""
    write_copies(folder)
    async with viewing_load(folder) as (pilot, view, store, archive):
        app = pilot.app
        assert isinstance(app, AwsirApp)
        await wait_for(pilot, lambda: "1/8 files" in screen_text(app), "the load under way")
        yield pilot, app, view, store, archive


def every_event() -> int:
    """The events of the 8 files the archive holds, each once."""
    return 8 * len(all_records())


async def test_L_in_load_continues_the_load_and_the_page_follows_it(tmp_path: Path) -> None:
    async with loading(tmp_path) as (pilot, app, view, store, archive):
        every = every_event()
        page = await open_view(pilot, app, "load")
        assert isinstance(page, LoadView)
        await wait_for(pilot, lambda: "C Cancel load" in footer(app), "C while it loads")
        assert "Continue load" not in footer(app)  # nothing to continue while it runs
        await pilot.press("C")
        store.permits.release(1)
        await wait_for(pilot, lambda: load_over(view, CANCELLED), "load cancelled")
        # Read over :load, where L now does what the notice says.
        assert noticed(app, "cancelled (L continues it), kept")
        assert archive.report is not None
        first = archive.report.files_read
        assert 0 < first < 8
        await wait_for(pilot, lambda: "L Continue load" in footer(app), "L in the footer")
        assert "Cancel load" not in footer(app)
        await pilot.press("question_mark")
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen), "the help")
        assert isinstance(app.screen, HelpScreen)
        help_text = " ".join(app.screen.body.plain.split())
        assert "L Continue load [load.continue]" in help_text, help_text
        assert "L (in the footer while there is something to continue) goes on" in help_text
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is page, "back on :load")
        said = await said_after(pilot, app, "L", "endpoint URL")
        assert said == f"continuing the load: {8 - first} files not reached", said
        assert app.screen is page  # it goes on from here: the page follows it
        await wait_for(pilot, lambda: "this page follows the load" in screen_text(app),
                       "the page following the load")
        await wait_for(pilot, lambda: "C Cancel load" in footer(app), "C again")
        assert "Continue load" not in footer(app)
        store.permits.release(100)
        await wait_for(pilot, lambda: f"loaded {every:,} events" in screen_text(app)
                       and "Every log file was read whole." in screen_text(app),
                       "the page saying the whole load")
        assert stored_once(archive) == (every, every)
        assert archive.report.files_read == 8 and not archive.report.cancelled
        await wait_for(pilot, lambda: "Continue load" not in footer(app), "L gone")
        assert "Cancel load" not in footer(app)
        # The archive's events view got the rows, as L there gets them.
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is view and load_over(view, "loaded "),
                       "the events view over every event")


async def test_L_in_stack_continues_the_load_and_says_so(tmp_path: Path) -> None:
    async with loading(tmp_path) as (pilot, app, view, store, archive):
        every = every_event()
        await pilot.press("C")
        store.permits.release(1)
        await wait_for(pilot, lambda: load_over(view, CANCELLED), "load cancelled")
        assert archive.report is not None
        first = archive.report.files_read
        stack = await open_view(pilot, app, "stack")
        assert isinstance(stack, StackView)
        await wait_for(pilot, lambda: "events" in status(app), "the stack counted")
        said = await said_after(pilot, app, "L", "endpoint URL")
        assert said == (f"continuing the load: {8 - first} files not reached (:events "
                        "shows the rows, :load the load)"), said
        store.permits.release(100)
        await wait_for(pilot, lambda: load_over(view, "loaded "), "the load done")
        assert stored_once(archive) == (every, every)
        assert app.screen is stack


async def test_a_load_cancelled_under_a_drill_down_names_where_L_continues_it(
    tmp_path: Path,
) -> None:
    """Over a :stack group's events L says what its rows lack (it is theirs): the
    notice read there says which views L continues the load in, and it does there."""
    async with loading(tmp_path) as (pilot, app, view, store, archive):
        await pilot.press("C")  # the batch in hand is held: the load ends once it is let go
        stack = await open_view(pilot, app, "stack")
        assert isinstance(stack, StackView)
        await wait_for(pilot, lambda: stack.rows and "events" in status(app), "a group")
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, EventsView)
                       and app.screen is not view, "the group's events")
        group = app.screen
        assert archive.report is None
        store.permits.release(1)
        elsewhere = "cancelled (L in :events or :load continues it), kept"
        await wait_for(pilot, lambda: archive.report is not None and noticed(app, elsewhere),
                       "the notice naming where L continues it")
        assert not noticed(app, CANCELLED)
        said = await said_after(pilot, app, "L", "endpoint URL")
        assert said.endswith("not read; L in :events or :load continues it"), said
        assert app.screen is group and archive.report is not None and archive.report.cancelled
        await open_view(pilot, app, "load")
        said = await said_after(pilot, app, "L", "endpoint URL")
        assert said.startswith("continuing the load: "), said
        store.permits.release(100)
        await wait_for(pilot, lambda: "Every log file was read whole." in screen_text(app),
                       "the load done")
