"""L continues an archive load cancelled with C (#5, known, not done): the responder
cancels a big load to look at what has arrived, then goes on with it in the app,
reading only the files the load has not read (each event once), with the same
progress, rows and C; a load that skipped files tries them again. Keys at 80x24."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import orjson
import pytest
from textual.widgets import DataTable

from awsir_tui.app import AwsirApp
from awsir_tui.cli import Options
from awsir_tui.demo.server import DemoServer
from awsir_tui.events.s3archive import newest_first
from awsir_tui.events.sources import ArchiveSource
from awsir_tui.ui.dialogs import HelpScreen
from awsir_tui.ui.events_view import EventsView
from awsir_tui.ui.stack_view import PARTIAL_MARK, StackView
from tests.helpers_app import demo_context, open_view, said_after, screen_text, wait_for
from tests.helpers_events import all_records
from tests.helpers_ui_events import status_line
from tests.test_ui_events_store import viewing_load, write_copies
from tests.test_ui_stack_partial import status, write_trail_copy

CANCELLED = "cancelled (L continues it), kept"


def load_over(view: EventsView, *said: str) -> bool:
    """The load of ``view`` is over and has said so (its notice is up: the rows are
    sorted by then), its status line saying each of ``said``."""
    assert isinstance(view.source, ArchiveSource)
    report = view.source.report
    if report is None or not all(s in status_line(view) for s in said):
        return False
    counts = report.summary().split(" new) from ", 1)[-1]  # its time too: this load's
    return any(counts in str(note.message) for note in view.app._notifications)


def stored_once(archive: ArchiveSource) -> tuple[int, int]:
    """How many events the store holds, and how many event IDs."""
    [(rows, ids)] = archive.store.cursor().execute(
        "SELECT count(*), count(DISTINCT event_id) FROM events").fetchall()
    return rows, ids


async def test_L_after_C_reads_the_files_not_read_each_event_once(tmp_path: Path) -> None:
    records = write_copies(tmp_path)
    every = 8 * len(records)
    async with viewing_load(tmp_path) as (pilot, view, store, archive):
        app = pilot.app
        await wait_for(pilot, lambda: "1/8 files" in screen_text(app), "the load under way")
        await pilot.press("C")
        store.permits.release(1)  # the batch in hand ends; the next parts are held again
        await wait_for(pilot, lambda: load_over(view, CANCELLED), "load cancelled")
        assert archive.report is not None
        first = archive.report.files_read
        assert 0 < first < 8 and archive.report.not_reached == 8 - first
        said = await said_after(pilot, app, "L", "endpoint URL")
        assert said == f"continuing the load: {8 - first} files not reached", said
        # The same progress bar, over the files left, and C to stop it again.
        await wait_for(pilot, lambda: f"0/{8 - first} files" in status_line(view),
                       "the load going on")
        assert "(C: cancel)" in status_line(view) and "cancelled" not in status_line(view)
        await pilot.press("C")
        store.permits.release(1)
        await wait_for(pilot, lambda: load_over(view, CANCELLED), "cancelled again")
        # (the batch in hand is stored, or rolled back by the interrupt C sends)
        second = archive.report.files_read
        assert first <= second < 8 and archive.report.not_reached == 8 - second
        # Rows as they arrive: every event stored so far is shown.
        kept = store.count()
        await wait_for(pilot, lambda: screen_text(app).startswith(f"{kept:,} events")
                       or f"\n{kept:,} events" in screen_text(app), "the rows kept")
        said = await said_after(pilot, app, "L", "endpoint URL")
        assert said == f"continuing the load: {8 - second} files not reached", said
        store.permits.release(100)
        await wait_for(pilot, lambda: load_over(view, "loaded "), "the load done")
        line = status_line(view)
        assert "cancelled" not in line and "not reached" not in line, line
        assert line.startswith(f"{every:,} events  loaded {every:,} events ({every:,} new) "
                               "from 8 files"), line
        assert stored_once(archive) == (every, every)
        report = archive.report
        assert report.files_read == 8 and not report.cancelled and not report.not_reached
        # One load in the store, every part of it.
        [(_, _, kept_report)] = store.loads()
        assert orjson.loads(kept_report)["files_read"] == 8
        said = await said_after(pilot, app, "L", "endpoint URL")
        assert said.startswith("nothing to continue: the load came to every file"), said


async def test_L_on_a_load_that_read_every_file_has_nothing_to_continue(
    tmp_path: Path,
) -> None:
    write_copies(tmp_path, copies=2)
    async with viewing_load(tmp_path) as (pilot, view, store, archive):
        app = pilot.app
        store.permits.release(100)
        await wait_for(pilot, lambda: load_over(view, "loaded "), "the load done")
        said = await said_after(pilot, app, "L", "endpoint URL")
        assert said == ("nothing to continue: the load came to every file of the archive "
                        "and read each it could (:load lists any read in part)"), said
        assert not archive.loading and archive.report is not None
        assert archive.report.files_read == 2
        await pilot.press("question_mark")
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen), "the help")
        assert isinstance(app.screen, HelpScreen)
        help_text = " ".join(app.screen.body.plain.split())
        assert ("Over an archive, L reads the files its load has not read yet, with the "
                "same progress and C, and tries again those it skipped") in help_text


async def test_L_tries_a_file_the_load_skipped_again(tmp_path: Path) -> None:
    """A file skipped (damaged here; an S3 object denied alike) is tried again by L:
    mended meanwhile, its events come in; the files read are not read again."""
    records = write_copies(tmp_path, copies=2)
    broken = tmp_path / "late.json"
    broken.write_bytes(b"[{\"eventVersion\": ")
    async with viewing_load(tmp_path) as (pilot, view, store, archive):
        app = pilot.app
        store.permits.release(100)
        await wait_for(pilot, lambda: load_over(view, "loaded "), "the load done")
        assert archive.report is not None and len(archive.report.skipped) == 1
        assert any("L tries the 1 skipped one again" in str(n.message)
                   for n in app._notifications)
        renamed = [{**r, "eventID": f"late-{r['eventID']}"} for r in records]
        broken.write_bytes(orjson.dumps(renamed))
        said = await said_after(pilot, app, "L", "endpoint URL")
        assert said == "continuing the load: 1 skipped tried again", said
        await wait_for(pilot, lambda: load_over(
            view, f"{3 * len(records):,} events  loaded"), "the file mended, read")
        line = status_line(view)
        assert "not read whole" not in line and "skipped" not in line, line
        assert stored_once(archive) == (3 * len(records),) * 2
        report = archive.report
        assert report.files_read == 3 and not report.skipped
        assert report.events == 3 * len(records)  # the two files read once


@pytest.fixture
def private_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return tmp_path


async def test_a_cancelled_load_of_the_demo_bucket_goes_on_with_L(
    demo: DemoServer, private_dirs: Path,
) -> None:
    """Over S3 (the demo's trail bucket over HTTP): C once the newest object is in,
    the others held back, then L fetches and reads the rest: every event, once."""
    source = f"s3://{demo.facts.trail_bucket}"
    ctx = demo_context(demo)
    s3 = ctx.client("s3")
    listed = s3.list_objects_v2(Bucket=demo.facts.trail_bucket)["Contents"]
    logs = sorted(o["Key"] for o in listed if "/CloudTrail/" in o["Key"])
    first = set(newest_first(logs, str)[:2])  # what the load reads first
    gate, let_through = threading.Event(), []

    def hold(params: dict[str, Any], **_: Any) -> None:
        """The objects after the newest two wait until the test lets them go (the
        fetches run in parallel: the first fetch asked is not the first read)."""
        if params.get("Key") not in first:
            gate.wait(60)
        else:
            let_through.append(params["Key"])

    s3.meta.events.register("before-parameter-build.s3.GetObject", hold)
    app = AwsirApp(Options(sources=[source], s3_cache="off"), ctx, first_view="regions")
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await wait_for(pilot, lambda: isinstance(app.screen, EventsView)
                           and " stored" in screen_text(app)
                           and " 0 stored" not in screen_text(app), "the first objects in")
            view = app.screen
            assert isinstance(view, EventsView) and isinstance(view.source, ArchiveSource)
            archive = view.source
            assert let_through and not gate.is_set()  # held, not let go by time
            await pilot.press("C")
            gate.set()
            await wait_for(pilot, lambda: load_over(view, CANCELLED), "load cancelled")
            assert archive.report is not None and archive.report.not_reached > 0
            said = await said_after(pilot, app, "L")
            assert said.startswith("continuing the load: "), said
            await wait_for(pilot, lambda: load_over(view, "loaded "), "the load done")
            every = len({record["eventID"] for record in demo.records})
            assert stored_once(archive) == (every, every)
            assert not archive.report.cancelled and not archive.report.skipped
            assert "cancelled" not in status_line(view)
    finally:
        gate.set()


async def test_the_timeline_marks_follow_a_load_L_completed(tmp_path: Path) -> None:
    """A timeline counted after C marks every bucket partial; once L has read the rest,
    `:stack` again counts every event and marks none: the load is no longer cut short."""
    logs = tmp_path / "logs"
    files = write_trail_copy(logs)
    async with viewing_load(logs) as (pilot, view, store, _):
        app = pilot.app
        await wait_for(pilot, lambda: f"1/{files} files" in screen_text(app), "progress")
        await pilot.press("C")
        store.permits.release(1)
        await wait_for(pilot, lambda: load_over(view, CANCELLED), "load cancelled")
        stack = await open_view(pilot, app, "stack")  # type: ignore[arg-type]
        assert isinstance(stack, StackView)
        await pilot.press("t")
        await wait_for(pilot, lambda: stack.shown.timeline and "events per" in status(app),
                       "the timeline")
        assert f"{PARTIAL_MARK}: every bucket may lack events" in status(app)
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is view, "back to the events")
        await pilot.press("L")
        store.permits.release(1_000)
        await wait_for(pilot, lambda: load_over(view, "loaded "), "the load done")
        again = await open_view(pilot, app, "stack")  # type: ignore[arg-type]
        assert isinstance(again, StackView)
        every = len(all_records())
        await wait_for(pilot, lambda: again.shown.timeline and f"{every:,} events"
                       in status(app), "the timeline of every event")
        assert "partial" not in status(app) and PARTIAL_MARK not in status(app), status(app)
        table = again.query_one(DataTable)
        counts = [str(table.get_row_at(index)[1]) for index in range(table.row_count)]
        assert counts and not any(c.startswith(PARTIAL_MARK) for c in counts), counts
