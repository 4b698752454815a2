"""`:stack` says when the rows it counts are partial, at 80x24 on the demo account and
on an archive whose load was cancelled.

Event history without a filter stops at the read's cap (2,000 events), each region
read newest first to its own depth: its oldest days hold only some regions' events,
so a timeline of them would read as activity ramping up. Counted while the read
still runs, the stack says "still loading", and counts again once the read is done.
A region denied, or an archive load cancelled, leaves out events of any time: every
bucket is marked.
"""

from __future__ import annotations

import gzip
import json
from collections import defaultdict
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import DataTable

from awsir_tui.demo.server import DemoServer
from awsir_tui.ui.base import View
from awsir_tui.ui.events_view import EventsView
from awsir_tui.ui.stack_view import PARTIAL_MARK, StackView
from tests.helpers_app import demo_app, open_view, screen_text, wait_for
from tests.helpers_events import all_records, s3_key
from tests.helpers_ui_events import filter_read
from tests.test_ui_events_store import viewing_load

SIZE = (80, 24)


@pytest.fixture(autouse=True)
def isolated_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))


def status(app: object) -> str:
    """The stack's status as the screen shows it (it may wrap: joined)."""
    screen = app.screen  # type: ignore[attr-defined]
    assert isinstance(screen, StackView)
    text = " ".join(line.strip() for line in screen_text(screen.app).splitlines()[2:5])
    return " ".join(text.split())


async def test_a_count_of_a_capped_read_says_partial_and_marks_the_early_buckets(
    demo: DemoServer,
) -> None:
    app = demo_app(demo)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, View))
        events = await open_view(pilot, app, "events")
        assert isinstance(events, EventsView)
        await wait_for(pilot, lambda: events.table.row_count > 0, "the first pages")
        stack = await open_view(pilot, app, "stack")
        assert isinstance(stack, StackView)
        # Counted while Event history is still being read: it says so.
        await wait_for(pilot, lambda: "partial: still loading (" in status(app),
                       "a partial count while loading")
        assert events.selection is not None and events.selection.feed is not None
        lookup = events.selection.feed.lookup
        # The read ends (at its cap): the stack counts again by itself, no key pressed.
        await wait_for(pilot, lambda: "partial: only complete after " in status(app),
                       "the count after the read")
        progress = lookup.progress()
        assert progress.capped and not progress.running
        after = progress.complete_after
        assert after is not None
        assert f"only complete after {after:%m-%d %H:%M:%S} UTC" in status(app)
        assert f"{progress.matched:,} events" in status(app)
        assert "still loading" not in status(app)
        # The timeline: every bucket that starts before the complete-after time is
        # marked partial, the later ones are not.
        await pilot.press("t")
        await wait_for(pilot, lambda: stack.shown.timeline and "events per" in status(app),
                       "the timeline")
        assert f"{PARTIAL_MARK}: before {after:%m-%d %H:%M:%S}, part of the events" in status(
            app)
        table = stack.query_one(DataTable)
        marked = []
        for index, row in enumerate(stack.rows):
            start = row[0]
            count = str(table.get_row_at(index)[1])
            marked.append(count.startswith(PARTIAL_MARK))
            when = getattr(start, "start", start)  # an empty run's start
            # at the complete-after time too: complete strictly after it
            assert marked[-1] == (when <= after), (when, after, count)
        assert any(marked) and not all(marked)
        assert f"{PARTIAL_MARK}" in screen_text(app)


def write_trail_copy(root: Path) -> int:
    """The Stratus records as a copy of a trail's bucket: one file per region and day,
    in CloudTrail's own layout and names (each file a gzipped JSON array, which the
    Python readers take: :class:`SteppedLoadStore` holds them). A load reads them in
    folder order, region by region, each region's days in order: not in time order.
    Returns how many files."""
    files: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for record in all_records():
        day = datetime.strptime(record["eventTime"][:10], "%Y-%m-%d")
        key = s3_key(record["recipientAccountId"], record["awsRegion"], day, "x")
        files[key].append(record)
    for key, records in files.items():
        path = root / key
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(gzip.compress(json.dumps(records).encode()))
    return len(files)


async def test_a_timeline_of_a_cancelled_load_marks_every_bucket(tmp_path: Path) -> None:
    """C during an archive load keeps what arrived: a timeline of it must not pass for
    the archive's. The files load region by region, so the events missing may be of any
    time: every bucket, the quiet ones too, is marked, and the status says why."""
    logs = tmp_path / "logs"
    files = write_trail_copy(logs)
    async with viewing_load(logs) as (pilot, _, store, archive):
        app = pilot.app
        await wait_for(pilot, lambda: f"1/{files} files" in screen_text(app), "progress")
        # A second batch in before C: the first file alone may fill one bucket only,
        # and a timeline of one bucket has no quiet bucket to check (CI saw 1 > 1).
        store.permits.release(1)
        await wait_for(pilot, lambda: store.batches > 2 or f"1/{files} files" not in
                       screen_text(app), "a second batch stored")
        await pilot.press("C")
        store.permits.release(files)
        await wait_for(pilot, lambda: "cancelled (L continues it), kept" in screen_text(app),
                       "load cancelled")
        assert archive.report is not None and archive.report.not_reached > 0
        stack = await open_view(pilot, app, "stack")  # type: ignore[arg-type]
        assert isinstance(stack, StackView)
        await pilot.press("t")
        await wait_for(pilot, lambda: stack.shown.timeline and "events per" in status(app),
                       "the timeline")
        assert "partial: the load was cancelled (" in status(app)
        assert f"{PARTIAL_MARK}: every bucket may lack events" in status(app)
        table = stack.query_one(DataTable)
        assert table.row_count == len(stack.rows) > 1
        counts = [str(table.get_row_at(index)[1]) for index in range(table.row_count)]
        assert all(count.startswith(PARTIAL_MARK) for count in counts), counts


async def test_a_timeline_of_a_read_with_a_denied_region_marks_every_bucket(
    demo: DemoServer,
) -> None:
    """A region denied holds none of its events at any time: no bucket of the timeline
    is complete, however recent (the read's cap would mark only the older ones)."""
    denied = next(r for r in demo.regions if r != demo.facts.proxy_region)
    with demo.denying(denied):
        app = demo_app(demo)
        async with app.run_test(size=SIZE) as pilot:
            await wait_for(pilot, lambda: isinstance(app.screen, View))
            events = await open_view(pilot, app, "events")
            assert isinstance(events, EventsView)
            await filter_read(pilot, events, "since:2h")
            stack = await open_view(pilot, app, "stack")
            assert isinstance(stack, StackView)
            await pilot.press("t")
            await wait_for(pilot, lambda: stack.shown.timeline and "events per" in status(app),
                           "the timeline")
            assert f"partial: {denied}: denied" in status(app)
            assert (f"{PARTIAL_MARK}: every bucket may lack events (a failed region's events "
                    "are missing at every time)") in status(app)
            table = stack.query_one(DataTable)
            counts = [str(table.get_row_at(index)[1]) for index in range(table.row_count)]
            assert counts and all(count.startswith(PARTIAL_MARK) for count in counts), counts


def test_the_timeline_note_says_why_every_bucket_is_marked() -> None:
    """Marking every bucket, the note names the cause it has: not "the files not read
    may hold any time" for an earlier, bounded load; and a capped read with a failed
    region keeps its cut-off, which the marks no longer show."""
    from awsir_tui.aws.cloudtrail import LookupProgress
    from awsir_tui.aws.errors import Failure, FailureKind
    from awsir_tui.events.coverage import Coverage
    from awsir_tui.events.loader import LoadReport
    from awsir_tui.ui.stack_view import EVERY_BUCKET, partial_note

    def note(**coverage: Any) -> str:
        return partial_note(Coverage("the store", "", "run on the store", **coverage),
                            EVERY_BUCKET)

    assert "the files not read may hold any time" in note(
        report=LoadReport(cancelled=True, not_reached=3))
    earlier = note(report=LoadReport(files_read=4))  # this load whole, an earlier not
    assert "any time" not in earlier
    assert "an earlier load of the store left events out: partial: says what" in earlier
    cut = datetime(2026, 11, 30, 9, 12, 5)
    failed = note(read=LookupProgress(
        regions=2, regions_done=2, capped=True, complete_after=cut,
        failures=(("eu-west-1", Failure(FailureKind.DENIED, "denied")),)))
    assert "a failed region's events are missing at every time" in failed
    assert "before 11-30 09:12:05, other regions' too" in failed
