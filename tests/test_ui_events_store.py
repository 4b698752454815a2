"""The events viewer over an event store (archives): loading and searching it.

A load shows its progress (a bar, files, events, MB) with rows arriving, and C stops it
keeping what arrived. A full-text search over a million archived events takes about
half a second: the previous rows stay on screen and the keys keep working until it is
ready, and the sort it made serves every page after it (``G`` included).
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import AsyncIterator, Iterator
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

import orjson
from textual.pilot import Pilot
from textual.widgets import Input

from awsir_tui.events import event_export
from awsir_tui.events.load_history import stored_loads
from awsir_tui.events.record import Event, from_record
from awsir_tui.events.sources import ArchiveSource, StoreSource
from awsir_tui.events.store import EventStore, StoreError
from awsir_tui.ui import events_view
from awsir_tui.ui.dialogs import HelpScreen
from awsir_tui.ui.events_view import REFRESH_EVERY, EventsView
from awsir_tui.ui.pacing import RefreshPacer
from tests.helpers_app import composed, screen_text, wait_for
from tests.helpers_events import EndlessSecondInsert, all_records
from tests.helpers_ui_events import account_ready, offline_app, status_line

COPIES = 20  # 6,200 events: deeper than the store's top-N pages and several blocks


def stratus_events() -> list[Event]:
    events = [from_record(r) for r in all_records()]
    return [replace(e, event_id=f"{e.event_id}-{n}") for n in range(COPIES) for e in events]


S = TypeVar("S", bound=EventStore)
MINUTE = timedelta(minutes=1)


class HeldStore(EventStore):
    """The real store, whose sorting waits for the test to let it go, or fails."""

    def __init__(self) -> None:
        super().__init__()
        self.gate = threading.Event()
        self.gate.set()
        self.failure: Exception | None = None

    def prepare(self, *args: Any, **kwargs: Any) -> int:
        self.gate.wait(30)
        if self.failure is not None:
            raise self.failure
        return super().prepare(*args, **kwargs)


class SteppedLoadStore(EventStore):
    """The real store; after a load's first batch, each batch waits for a permit (the
    test's files are bare JSON arrays, which the Python readers take: add_events)."""

    def __init__(self, path: Path | None = None) -> None:
        super().__init__(path)
        self.permits = threading.Semaphore(0)
        self.batches = 0

    def add_events(self, *args: Any, **kwargs: Any) -> int:
        self.batches += 1
        if self.batches > 1:
            self.permits.acquire(timeout=30)
        return super().add_events(*args, **kwargs)


def write_copies(folder: Path, copies: int = 8) -> list[dict[str, Any]]:
    """The Stratus records as ``copies`` files of a bare JSON array (new event IDs),
    which the Python readers take: one store batch per file at first."""
    records = all_records()
    for copy in range(copies):
        renamed = [{**r, "eventID": f"{copy}-{r['eventID']}"} for r in records]
        (folder / f"{copy}.json").write_bytes(orjson.dumps(renamed))
    return records


@contextlib.asynccontextmanager
async def viewing_load(
    folder: Path, filter_text: str = "", store_path: Path | None = None
) -> AsyncIterator[tuple[Pilot[Any], EventsView, SteppedLoadStore, ArchiveSource]]:
    """The events viewer at 80x24 over a stepped load of ``folder`` (into a store file
    at ``store_path``), just started: the session's archive, as ``--source`` makes it."""
    store = SteppedLoadStore(store_path)
    archive = ArchiveSource([str(folder)], store)
    app = offline_app()
    app.archive = archive
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await wait_for(pilot, lambda: account_ready(app), "regions")
            view = EventsView(filter_text, source=archive)
            await app.push_screen(view)
            yield pilot, view, store, archive
    finally:
        store.permits.release(1_000)  # a test that failed holding the load: let it end
        store.close()


async def test_a_load_shows_its_progress_and_C_keeps_what_arrived(tmp_path: Path) -> None:
    records = write_copies(tmp_path)
    async with viewing_load(tmp_path) as (pilot, _, store, archive):
        app = pilot.app
        # The first file is in (one file a batch at first), the next batch is held.
        await wait_for(pilot, lambda: "1/8 files" in screen_text(app), "progress")
        await wait_for(pilot, lambda: f"{len(records):,} shown" in screen_text(app),
                       "the first file's rows")
        status = screen_text(app)
        # The rows shown, and what the load has stored: two counts, each named (QA read
        # "757,079 events" beside "every file read" as events lost), and C in sight.
        assert f"{len(records):,} stored" in status and "C: cancel" in status
        assert "Load more" not in status  # L is Event history's (more pages)
        assert "\u2588" in status and "\u2591" in status  # the bar, part filled
        await pilot.press("C")
        # Said at once, while the batch in hand ends: nothing else moves meanwhile.
        await wait_for(pilot, lambda: "cancelling\u2026" in screen_text(app), "cancelling")
        store.permits.release(8)
        await wait_for(pilot, lambda: "cancelled (L continues it), kept" in screen_text(app),
                       "load cancelled")
        kept = store.count()
        assert len(records) <= kept < 8 * len(records)
        assert archive.report is not None and archive.report.cancelled
        await wait_for(pilot, lambda: f"{kept:,} events" in screen_text(app), "rows kept")


async def test_quitting_while_an_archive_loads_asks_again(tmp_path: Path) -> None:
    """A q by mistake during a long load would stop it, and the next start reads the
    archive again: the first q says so, a second one quits."""
    records = write_copies(tmp_path)
    async with viewing_load(tmp_path) as (pilot, _, store, archive):
        app = pilot.app
        await wait_for(pilot, lambda: "1/8 files" in screen_text(app), "the load under way")
        await pilot.press("q")
        await wait_for(pilot, lambda: any("still loading" in str(n.message)
                                          for n in app._notifications), "the warning")
        assert app.return_code is None and archive.loading
        [note] = [str(n.message) for n in app._notifications if "still loading" in str(n.message)]
        assert f"{len(records):,} events so far" in note
        await pilot.press("q")
        assert app.return_code == 0
        store.permits.release(8)


class ClosedPacer(RefreshPacer):
    """A pacer that never lets a refresh start: what a very costly sort makes of it."""

    def may_start(self, now: float) -> bool:
        return False


async def test_rows_a_load_adds_are_sorted_in_as_often_as_the_pacer_allows(
    tmp_path: Path,
) -> None:
    records = write_copies(tmp_path)
    async with viewing_load(tmp_path, "assumedrole") as (pilot, view, store, _):
        app = pilot.app
        per_file = sum("assumedrole" in orjson.dumps(r).decode().lower() for r in records)
        await wait_for(pilot, lambda: view.table.row_count == per_file, "first file's rows")

        view._resorts = ClosedPacer()  # from now on a re-sort costs too much to repeat
        store.permits.release()  # the second batch (4 files) lands
        await wait_for(pilot, lambda: "5/8 files" in screen_text(app), "progress moves")
        await pilot.pause(4 * REFRESH_EVERY)
        assert view.table.row_count == per_file  # not re-sorted while the load runs
        assert f"{per_file:,} shown" in screen_text(app)

        store.permits.release(8)  # the rest: the load ends, its rows show at once
        await wait_for(pilot, lambda: view.table.row_count == 8 * per_file, "every file's rows")


def viewing_store() -> contextlib.AbstractAsyncContextManager[
    tuple[Pilot[Any], EventsView, HeldStore, list[Event]]
]:
    """The events viewer at 80x24 over a held store of the Stratus events, all shown."""
    return viewing(HeldStore())


@contextlib.asynccontextmanager
async def viewing(store: S) -> AsyncIterator[tuple[Pilot[Any], EventsView, S, list[Event]]]:
    """The events viewer at 80x24 over ``store``, given the Stratus events, all shown."""
    events = stratus_events()
    store.add_events(events)
    app = offline_app()
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await wait_for(pilot, lambda: account_ready(app), "regions")
            view = EventsView(source=StoreSource(store, "archive test"))
            await app.push_screen(view)
            await wait_for(pilot, lambda: f"{len(events):,} events" in screen_text(app), "rows")
            yield pilot, view, store, events
    finally:
        store.close()


async def test_a_search_sorts_in_the_background_and_then_serves_every_page() -> None:
    async with viewing_store() as (pilot, view, store, events):
        app = pilot.app
        first_rows = view.table.row(0)

        store.gate.clear()  # the next search is "slow"
        view.run_filter("assumedrole")
        await wait_for(pilot, lambda: "searching\u2026" in screen_text(app), "searching")
        await pilot.press("j")
        assert view.table.cursor_row == 1  # keys work, on the previous rows
        assert view.table.row(0) == first_rows

        store.gate.set()
        matches = [e for e in events if "assumedrole" in e.raw.lower()]
        assert 1_000 < len(matches) < len(events)
        await wait_for(pilot, lambda: f"{len(matches):,} events" in screen_text(app), "matches")
        assert view.table.cursor_row == 0
        await pilot.press("G")
        await wait_for(pilot, lambda: view.table.cursor_row == len(matches) - 1, "last row")
        row = view.table.row_at_cursor()
        assert isinstance(row, Event) and row.event_time == min(e.event_time for e in matches)
        # The table scrolls to the cursor after the next refresh: wait for it on screen.
        await wait_for(pilot, lambda: f"{row.event_time:%H:%M:%S}" in screen_text(app),
                       "the last row drawn")
        assert f"{row.event_time:%H:%M:%S}" in screen_text(app)


async def retype_filter(pilot: Pilot[Any], text: str) -> None:
    """``/``, clear the bar, type ``text``, Enter: what the responder does."""
    await pilot.press("slash", "ctrl+a", "ctrl+k", *text, "enter")


async def test_a_search_that_fails_says_so_keeps_the_rows_and_the_typing() -> None:
    async with viewing_store() as (pilot, view, store, events):
        app = pilot.app
        describes = [e for e in events if "describe" in e.event_name.lower()]
        await retype_filter(pilot, "name:describe")
        await wait_for(pilot, lambda: f"{len(describes):,} events" in screen_text(app), "filter")

        store.failure = StoreError("the store's temporary folder is full")
        await retype_filter(pilot, "assumedrole")
        await wait_for(pilot, lambda: "search failed" in screen_text(app), "failure shown")
        notes = [str(n.message) for n in app._notifications]
        assert any("temporary folder is full" in n for n in notes), notes
        await pilot.pause(0.5)  # a status refresh later: not stuck on "searching"
        text = screen_text(app)
        assert "searching" not in text and f"{len(describes):,} events" in text
        # The view is what the screen shows: rerun, presets and export mean these rows.
        assert view.filter_text == "name:describe"
        assert "filter name:describe" in text and "assumedrole" not in text

        # / offers the failed filter again: nothing typed is lost; Enter retries it.
        await pilot.press("slash")
        assert view.query_one("#filter-input", Input).value == "assumedrole"
        store.failure = None
        matches = [e for e in events if "assumedrole" in e.raw.lower()]
        await pilot.press("enter")
        await wait_for(pilot, lambda: f"{len(matches):,} events" in screen_text(app), "retried")
        assert "search failed" not in screen_text(app)
        await pilot.press("slash")
        assert view.query_one("#filter-input", Input).value == "assumedrole"


async def quit_in_second_insert(archive: ArchiveSource, store: EndlessSecondInsert) -> None:
    """The app at 80x24 with ``archive`` as its session's archive, loading into
    ``store``: q q once the load is inside its second INSERT (which never ends), then
    wait for the load to end."""
    app = offline_app()
    app.archive = archive
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: account_ready(app), "regions")
        loading = threading.Thread(target=archive.load, daemon=True)
        loading.start()
        await wait_for(pilot, lambda: store.inserts == 2, "the second batch's INSERT")
        await pilot.pause(0.3)  # inside its statement (it never ends)
        await pilot.press("q")  # asks first (test_quitting_while_an_archive_loads...)
        await wait_for(pilot, lambda: any("still loading" in str(n.message)
                                          for n in app._notifications), "the warning")
        await pilot.press("q")
        await wait_for(pilot, lambda: not app.is_running, "quit")
    loading.join(60)


async def test_quitting_stops_the_archive_load_and_its_queries(tmp_path: Path) -> None:
    """q during a load: the load is cancelled and the statement it is running is
    interrupted, so the process does not wait for them to finish (18 s at 5M events)."""
    from tests.helpers_events import four_log_files

    records = four_log_files(tmp_path)
    store = EndlessSecondInsert()
    archive = ArchiveSource([str(tmp_path)], store)
    try:
        await quit_in_second_insert(archive, store)
        assert archive.report is not None and archive.report.cancelled
        assert store.stopped and store.count() == archive.report.events == len(records)
    finally:
        store.close()


async def test_the_app_on_a_store_file_alone_reopens_its_events(
    tmp_path: Path, monkeypatch: Any
) -> None:
    """``awsir-tui --store case.duckdb``: the events kept there, in the events view,
    without reading any archive."""
    monkeypatch.setenv("AWSIR_TUI_EXPORT_DIR", str(tmp_path / "exports"))
    from awsir_tui.cli import Options
    from awsir_tui.events.loader import load
    from tests.helpers_events import envelope_gz

    (tmp_path / "logs").mkdir()
    (tmp_path / "logs" / "a.json.gz").write_bytes(envelope_gz(all_records()))
    path = tmp_path / "case.duckdb"
    with EventStore(path) as store:
        load([tmp_path / "logs"], store)
    app = offline_app(Options(store=str(path)))
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: "310 events" in screen_text(app), "the kept events")
        assert app.screen.__class__.__name__ == "EventsView"
        assert "kept in the store file" in screen_text(app)
        assert "loading" not in screen_text(app)
        assert app.archive is not None and app.archive.label == str(path)  # the breadcrumb
        # The store kept its load, which read every file: an export says so.
        await pilot.press("x")
        await wait_for(pilot, lambda: "exported 310 events" in screen_text(app), "the status")
        assert "UNKNOWN" not in screen_text(app) and "PARTIAL" not in screen_text(app)
        assert any("COMPLETE" in str(n.message) for n in app._notifications)
    if app.archive is not None:
        app.archive.store.close()


async def test_load_on_a_store_file_alone_shows_what_its_loads_left_out(
    tmp_path: Path, monkeypatch: Any,
) -> None:
    """The store keeps each load's report: `:load` on the store reopened alone lists
    the load that filled it and the file it skipped, and an export says PARTIAL (it
    said "no archive was loaded", and UNKNOWN)."""
    monkeypatch.setenv("AWSIR_TUI_EXPORT_DIR", str(tmp_path / "exports"))
    from awsir_tui.cli import Options
    from awsir_tui.events.loader import load
    from tests.helpers_events import envelope_gz

    logs = tmp_path / "logs"
    logs.mkdir()
    (logs / "a.json.gz").write_bytes(envelope_gz(all_records()))
    (logs / "cut.json").write_text('{"Records": [oops')
    path = tmp_path / "case.duckdb"
    with EventStore(path) as store:
        load([logs], store)
    app = offline_app(Options(store=str(path)))
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: "310 events" in screen_text(app), "the kept events")
        # Said before any export: the rows are not all of their sources' events (QA:
        # the view said "kept in the store file" alone, while :stack said partial).
        await wait_for(pilot, lambda: "310 events  partial: an earlier load" in screen_text(app),
                       "partial said")
        await pilot.press("x")
        await wait_for(pilot, lambda: "PARTIAL exported" in screen_text(app), "the status")
        await pilot.press("colon", *"load", "enter")
        await wait_for(pilot, lambda: "Earlier loads kept in the store file: 1"
                       in screen_text(app), ":load")
        text = screen_text(app)
        assert str(logs) in text and "cut.json" in text and "1 skipped" in text
    if app.archive is not None:
        app.archive.store.close()


async def test_load_says_a_kept_load_read_only_part_of_its_sources(tmp_path: Path) -> None:
    """A headless `events --after` load keeps its bounds: `:load` on the store says
    only part was read, not "every log file was read whole"."""
    from datetime import UTC, datetime

    from awsir_tui.cli import Options
    from awsir_tui.events.loader import load
    from tests.helpers_events import envelope_gz

    (tmp_path / "logs").mkdir()
    (tmp_path / "logs" / "a.json.gz").write_bytes(envelope_gz(all_records()))
    path = tmp_path / "case.duckdb"
    with EventStore(path) as store:
        load([tmp_path / "logs"], store, after=datetime(2019, 1, 1, tzinfo=UTC))
    app = offline_app(Options(store=str(path)))
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: "310 events" in screen_text(app), "the kept events")
        await pilot.press("colon", *"load", "enter")
        wanted = "Only part of the sources was read (from 2019-01-01T00:00:00Z)"
        await wait_for(pilot, lambda: wanted in " ".join(screen_text(app).split()), ":load")
        assert "read whole." not in screen_text(app)
    if app.archive is not None:
        app.archive.store.close()


async def test_load_says_a_load_the_app_quit_during_did_not_finish(
    tmp_path: Path, monkeypatch: Any,
) -> None:
    """q q during a load into a store file: reopened, `:load` says that load started
    then and did not finish, with the app, rather than that it was loaded then (its
    start time) and cancelled."""
    monkeypatch.setenv("AWSIR_TUI_EXPORT_DIR", str(tmp_path / "exports"))
    from awsir_tui.cli import Options
    from tests.helpers_events import four_log_files

    logs = tmp_path / "logs"
    logs.mkdir()
    four_log_files(logs)
    path = tmp_path / "case.duckdb"
    store = EndlessSecondInsert(path)
    try:
        await quit_in_second_insert(ArchiveSource([str(logs)], store), store)
    finally:
        store.close()
    app = offline_app(Options(store=str(path)))
    async with app.run_test(size=(200, 40)) as pilot:
        await wait_for(pilot, lambda: "310 events" in screen_text(app), "the kept events")
        await pilot.press("colon", *"load", "enter")
        await wait_for(pilot, lambda: "Earlier loads kept in the store file: 1"
                       in screen_text(app), ":load")
        text = " ".join(screen_text(app).split())
        assert f"{logs} (started 20" in text and ", did not finish)" in text, text
        assert "did not finish (the app stopped during it)" in text, text
        assert "(loaded " not in text and "cancelled" not in text, text
    if app.archive is not None:
        app.archive.store.close()


class LetGoOnCancel(threading.Event):
    """A load's cancel flag that lets the held batch go on the moment it is set, and
    waits for the load to end: the loader was between batches (as it is while the
    Python readers parse a file or S3 downloads arrive) and wins any race with what
    the quitting app does next."""

    def __init__(self, archive: ArchiveSource, store: SteppedLoadStore) -> None:
        super().__init__()
        self.archive, self.store = archive, store

    def set(self) -> None:
        super().set()
        self.store.permits.release(8)
        deadline = time.monotonic() + 10
        while self.archive.report is None and time.monotonic() < deadline:
            time.sleep(0.01)


async def test_quitting_between_batches_keeps_the_load_as_not_finished(tmp_path: Path) -> None:
    """q q while the load is between batches: the events view leaving cancels the load
    as C does, and the app used to stop the store only after, so the load ended as one
    the responder cancelled ("loaded <time>", "was cancelled")."""
    logs = tmp_path / "logs"
    logs.mkdir()
    write_copies(logs)
    path = tmp_path / "case.duckdb"
    async with viewing_load(logs, store_path=path) as (pilot, _, store, archive):
        app = pilot.app
        archive.cancel = LetGoOnCancel(archive, store)
        await wait_for(pilot, lambda: "1/8 files" in screen_text(app), "progress")
        await pilot.press("q")
        await wait_for(pilot, lambda: any("still loading" in str(n.message)
                                          for n in app._notifications), "the warning")
        await pilot.press("q")
        await wait_for(pilot, lambda: not app.is_running, "quit")
    with EventStore(path) as again:
        [kept] = stored_loads(again)
    assert kept.label().endswith(", did not finish)"), kept.label()


class HeldStreamStore(EventStore):
    """The real store, whose streams (what an export reads), once ``held``, wait for
    the test."""

    def __init__(self) -> None:
        super().__init__()
        self.held = False
        self.gate = threading.Event()

    def events(self, *args: Any, **kwargs: Any) -> Any:
        if self.held:
            self.gate.wait(30)
        yield from super().events(*args, **kwargs)


async def test_quitting_while_an_export_is_written_asks_again(
    tmp_path: Path, monkeypatch: Any
) -> None:
    """Quitting stops an export, which then leaves no file: the first q says so, the
    second quits. The export goes on after its view is left (Esc): it still counts."""
    monkeypatch.setenv("AWSIR_TUI_EXPORT_DIR", str(tmp_path))
    store = HeldStreamStore()
    try:
        async with viewing(store) as (pilot, _view, _store, _events):
            app = pilot.app
            store.held = True
            await pilot.press("x")
            await wait_for(pilot, lambda: any(w.group == "events-export" and not w.is_finished
                                           for w in app.workers), "exporting")
            await pilot.press("escape")  # Textual marks the worker done; the thread goes on
            await wait_for(pilot, lambda: not isinstance(app.screen, EventsView), "view left")
            await pilot.press("q")
            await pilot.pause(0.3)
            assert app.return_code is None  # still running
            assert any("quit again" in str(n.message) for n in app._notifications)
            await pilot.press("q")
            assert app.return_code == 0
            assert app.quitting.is_set() and not store.stopped
            store.gate.set()  # the export reads on, and stops at its next check
    finally:
        store.gate.set()
    assert not [p for p in tmp_path.iterdir() if p.suffix == ".jsonl"]


async def test_quitting_with_no_export_running_does_not_ask() -> None:
    app = offline_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: account_ready(app), "regions")
        await pilot.press("q")
        assert app.return_code == 0


class CountedSorts(EventStore):
    """The real store, counting the sorts a view asks of it."""

    def __init__(self) -> None:
        super().__init__()
        self.sorts = 0

    def prepare(self, *args: Any, **kwargs: Any) -> int:
        self.sorts += 1
        return super().prepare(*args, **kwargs)


async def test_an_export_redraws_its_status_not_the_rows(
    tmp_path: Path, monkeypatch: Any
) -> None:
    """Each export tick (every 5,000 events) once marked the rows stale: the view sorted
    the store again and re-read the rows on screen, which showed as "…" for seconds
    during an export of a million events."""
    monkeypatch.setenv("AWSIR_TUI_EXPORT_DIR", str(tmp_path))
    store = CountedSorts()
    async with viewing(store) as (pilot, view, _store, events):
        await pilot.press("j", "j")  # the cursor on a row: a re-sort would keep it there
        await pilot.pause(0.3)
        sorts, fetches = store.sorts, view.table.fetches
        await pilot.press("x")
        await wait_for(pilot, lambda: "exported" in status_line(view), "exported")
        await pilot.pause(0.3)
        assert (store.sorts, view.table.fetches) == (sorts, fetches)
        # A complete export's note comes after the read's counts, which stay in sight
        # at 80 columns; where it went is said by ? once the notice has gone.
        [written] = [p for p in tmp_path.iterdir() if p.suffix == ".jsonl"]
        status = status_line(view)
        assert status.index(f"{len(events):,} events") < status.index(
            f"exported {len(events):,} events (every event) to {written.name}")
        await pilot.press("question_mark")
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, HelpScreen), "the help")
        assert isinstance(pilot.app.screen, HelpScreen)
        help_text = pilot.app.screen.body.plain
        assert f"Last export: {written}\n" in help_text  # whole: no space put inside


async def test_an_archive_session_needs_no_account_and_says_so_in_the_header() -> None:
    """Logs handed over in a folder need no credentials: no toast over the loading rows,
    the header says there is no account. Event history without an account still warns."""
    from awsir_tui.cli import Options
    from tests.helpers_events import STRATUS

    app = offline_app(Options(sources=[str(STRATUS)]))
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: (view := composed(app, EventsView, "VirtualTable"))
                       is not None and view.table.row_count > 0, "the archive's rows")
        await wait_for(pilot, lambda: "no account (unreachable)" in screen_text(app),
                       "the header")
        titles = [n.title for n in app._notifications]
        assert "identity" not in titles and "regions not listed" not in titles

    app = offline_app(Options(case="history"))  # not the case that remembers :events
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: account_ready(app), "the regions view")
        assert "identity" in [n.title for n in app._notifications]
        await wait_for(pilot, lambda: "no account (unreachable)" in screen_text(app),
                       "the header drawn")


def test_a_store_file_that_cannot_be_opened_stops_the_app_before_it_starts(
    tmp_path: Path, capsys: Any
) -> None:
    """The reason is one line on stderr and the exit code 2, not a traceback drawn over
    the terminal and an exit code 0."""
    from awsir_tui.cli import main

    bad = tmp_path / "notes.duckdb"
    bad.write_text("not a store\n")
    assert main(["--endpoint-url", "http://127.0.0.1:9", "--store", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "is not an event store (not a DuckDB database file)" in err
    assert "Traceback" not in err


def test_the_headless_commands_refuse_an_unusable_store_as_the_app_does(
    tmp_path: Path, capsys: Any
) -> None:
    """Exit 2 and the same line, whether the app or `events` met the file."""
    from awsir_tui.cli import main

    bad = tmp_path / "notes.duckdb"
    bad.write_text("not a store\n")
    assert main(["--store", str(bad), "events"]) == 2
    err = capsys.readouterr().err
    assert err.strip() == f"awsir-tui: {bad} is not an event store (not a DuckDB database file)"


class HeldExport(EventStore):
    """The real store; an export's stream of events waits after its first 1,000 (one
    progress tick, as the test sets them) until the test lets it go on."""

    def __init__(self) -> None:
        super().__init__()
        self.go_on = threading.Event()

    def events(self, *args: Any, **kwargs: Any) -> Iterator[Event]:
        for index, event in enumerate(super().events(*args, **kwargs)):
            if index == 1_000:
                assert self.go_on.wait(60), "the test never let the export go on"
            yield event


async def test_one_export_at_a_time_and_C_cancels_it(
    tmp_path: Path, monkeypatch: Any
) -> None:
    """QA: x during an export started a second whole file (1.3 GB each at 1M events),
    and nothing stopped an export but quitting. A second x says one is running; C
    stops it and no file is left."""
    monkeypatch.setenv("AWSIR_TUI_EXPORT_DIR", str(tmp_path))
    monkeypatch.setattr(event_export, "_PROGRESS_EVERY", 1_000)
    store = HeldExport()
    async with viewing(store) as (pilot, view, _store, _events):
        app = pilot.app
        await pilot.press("x")
        await wait_for(pilot, lambda: "exporting 1,000/" in screen_text(app), "the export")
        await pilot.press("x")
        await wait_for(pilot, lambda: any("still being written" in str(n.message)
                                          for n in app._notifications), "the refusal")
        await pilot.press("C")
        store.go_on.set()
        await wait_for(pilot, lambda: "export cancelled: nothing written" in screen_text(app),
                       "cancelled")
        assert not [p for p in tmp_path.iterdir() if p.suffix == ".jsonl"]
        assert not list(tmp_path.glob(".*.tmp"))
        # And the next x exports again, the whole set.
        await pilot.press("x")
        await wait_for(pilot, lambda: "exported" in screen_text(app), "exported")
        [written] = [p for p in tmp_path.iterdir() if p.suffix == ".jsonl"]
        assert len(written.read_text().splitlines()) == view.table.row_count


async def test_y_on_a_row_yanks_its_event_id(tmp_path: Path, monkeypatch: Any) -> None:
    """QA: y on the events list did nothing, where every other list copies its ID."""
    monkeypatch.setenv("AWSIR_TUI_EXPORT_DIR", str(tmp_path))
    async with viewing_store() as (pilot, view, _store, _events):
        await wait_for(pilot, lambda: isinstance(view.table.peek_row(0), Event), "rows read")
        row = view.table.peek_row(view.table.cursor_row)
        assert isinstance(row, Event)
        await pilot.press("y")
        await wait_for(pilot, lambda: list(tmp_path.glob("yank-*.txt")), "the yank file")
        [written] = tmp_path.glob("yank-*.txt")
        assert written.read_text() == row.event_id


async def test_a_time_bound_that_finds_nothing_says_when_the_events_are() -> None:
    """QA: 4 (the last 90 days) over logs of 2024 gave "0 events" and nothing else,
    which reads as "nothing happened"."""
    async with viewing_store() as (pilot, view, _store, events):
        app = pilot.app
        await pilot.press("4")
        first = min(e.event_time for e in events)
        last = max(e.event_time for e in events)
        # Both ends in sight at 80 columns, in local time too (the end was cut).
        await pilot.press("o")
        await wait_for(pilot, lambda: "0 events then: the store holds "
                       f"{first:%Y-%m-%d %H:%M}Z\u2013{last:%Y-%m-%d %H:%M}Z"
                       in screen_text(app), "the hint")
        assert view.table.row_count == 0


async def test_a_preset_replaces_a_time_bound_joined_by_and() -> None:
    """Review: 2 over ``after:2020-01-01 && name:ConsoleLogin`` ran ``&& name:ConsoleLogin
    since:24h``, which does not parse: the key said "needs a term on each side" and
    kept the old bound instead of applying the last day."""
    async with viewing_store() as (pilot, view, _store, _events):
        app = pilot.app
        typed = "after:2020-01-01 && name:ConsoleLogin"
        await pilot.press("slash", "ctrl+a", "ctrl+k", *typed, "enter")
        await wait_for(pilot, lambda: view.filter_text == typed, "the typed filter")
        await pilot.press("2")
        await wait_for(pilot, lambda: view.filter_text == "name:ConsoleLogin since:24h",
                       "the preset applied")
        assert "needs a term" not in screen_text(app)


async def test_an_export_that_fails_says_so_in_the_status_not_its_last_progress(
    tmp_path: Path, monkeypatch: Any
) -> None:
    """A write that fails (a disk full) left "export starting… (C cancels it)" on the
    status line for good, beside the notice that went after seconds."""
    monkeypatch.setenv("AWSIR_TUI_EXPORT_DIR", str(tmp_path))

    def disk_full(*_args: Any) -> int:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(events_view, "write_events", disk_full)
    async with viewing(EventStore()) as (pilot, view, _store, events):
        await pilot.press("x")
        await wait_for(pilot, lambda: "export failed" in status_line(view), "the failure")
        assert "starting" not in status_line(view)
        status = status_line(view)
        # After the read's counts, which stay in sight at 80 columns (the toast said it).
        assert status.index(f"{len(events):,} events") < status.index(
            "export failed, nothing written: [Errno 28] No space left on device")


def empty_as_utc(times: list[datetime]) -> datetime:
    """A minute as the local time column shows it (this machine's zone, no zone named),
    from the later half of the sorted ``times``, which, read as UTC, holds none of them."""
    for when in times[len(times) // 2:]:
        local = when.astimezone().replace(second=0, microsecond=0, tzinfo=None)
        if not any(local <= t.replace(tzinfo=None) < local + MINUTE for t in times):
            return local
    raise AssertionError("every minute is taken")


async def test_local_times_typed_back_say_they_were_read_as_utc(new_york: None) -> None:
    """Responder review: with local times on screen, a minute copied off the time column
    and typed back as after:/before: found nothing, and the hint named the store's range,
    which holds that minute: the times typed are UTC, and that is what to say."""
    async with viewing_store() as (pilot, view, _store, events):
        app = pilot.app
        await pilot.press("o")
        seen = empty_as_utc(sorted(e.event_time for e in events))
        typed = f"after:{seen:%Y-%m-%dT%H:%M} before:{seen + MINUTE:%Y-%m-%dT%H:%M}"
        await pilot.press("slash", "ctrl+a", "ctrl+k", *typed, "enter")
        await wait_for(pilot, lambda: f"0 events {seen:%Y-%m-%d %H:%M}\u2013"
                       in screen_text(app), "the hint")
        assert "typed times are UTC, not local" in screen_text(app)
        assert view.table.row_count == 0
