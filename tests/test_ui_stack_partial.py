"""`:stack` says when the rows it counts are partial, at 80x24 on the demo account.

Event history without a filter stops at the read's cap (2,000 events), each region
read newest first to its own depth: its oldest days hold only some regions' events,
so a timeline of them would read as activity ramping up. Counted while the read
still runs, the stack says "still loading", and counts again once the read is done.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import DataTable

from awsir_tui.demo.server import DemoServer
from awsir_tui.ui.base import View
from awsir_tui.ui.events_view import EventsView
from awsir_tui.ui.stack_view import PARTIAL_MARK, StackView
from tests.helpers_app import demo_app, open_view, screen_text, wait_for

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
            assert marked[-1] == (when < after), (when, after, count)
        assert any(marked) and not all(marked)
        assert f"{PARTIAL_MARK}" in screen_text(app)
