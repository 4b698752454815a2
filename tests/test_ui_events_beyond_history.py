"""The events view on Event history says, first on its 80-column status line, when the
range typed reaches before the 90 days Event history keeps (#5).

In ``--demo``, ``/before:2026-08-01`` four months back showed ``0 events · 17/17
regions · 17 pages`` under a plan "from 2026-08-01 to 2026-08-01", and nothing said
Event history keeps none of it; ``/after:`` of June cut June to September in silence.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from textual.pilot import Pilot

from awsir_tui.app import AwsirApp
from awsir_tui.aws.cloudtrail import oldest_start
from awsir_tui.demo.server import DemoServer
from awsir_tui.ui.events_view import EventsView
from tests.helpers_app import screen_text, wait_for
from tests.helpers_ui_events import events_on_the_demo, filter_read


def status_row(app: AwsirApp, view: EventsView) -> str:
    """The status line as the 80-column screen shows it."""
    region = view.query_one("#events-progress").region
    return screen_text(app).splitlines()[region.y]


async def read(pilot: Pilot[int], app: AwsirApp, view: EventsView, typed: str) -> str:
    """``typed`` as the view's filter, its status line once its read is done, and the
    time, as the status line says it, from which Event history keeps events."""
    since = f"{oldest_start(datetime.now(UTC)):%m-%d}"  # the day: the minute may turn
    await filter_read(pilot, view, typed)
    await wait_for(pilot, lambda: " regions" in status_row(app, view), "its status")
    row = status_row(app, view)
    assert f"90 days start {since} " in row or "90 days" not in row, row
    return row


async def test_the_status_line_says_first_what_event_history_does_not_keep(
    demo: DemoServer,
) -> None:
    months_ago = f"{datetime.now(UTC) - timedelta(days=120):%Y-%m-%d}"
    async with events_on_the_demo(demo) as (pilot, app, view):
        row = await read(pilot, app, view, f"before:{months_ago}")
        assert row.startswith("NOT KEPT: Event history's 90 days start "), row
        assert "0 events" in row, row
        # The notice says it whole, and where the older events are.
        assert any(str(note.message).endswith(
            "the range asked lies wholly before that; read the trail's archive with --source")
            for note in app._notifications)

        row = await read(pilot, app, view, f"after:{months_ago} name:=ImportKeyPair")
        assert row.startswith("PARTIAL: Event history's 90 days start "), row
        every = len(demo.regions)
        assert f"{every}/{every} regions" in row and "  0 events" not in row, row

        row = await read(pilot, app, view, "since:90d name:=ImportKeyPair")
        assert "90 days" not in row and "PARTIAL" not in row, row
