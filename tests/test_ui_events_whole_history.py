"""`4` ("the whole 90 days") and a filter with no since: read the same span of Event
history, and the plan line and an export's coverage say where it starts (#4).

The default read starts 90 days less an hour ago (a start the service clamps moves
between pages: :data:`~awsir_tui.aws.cloudtrail.DEFAULT_SPAN`), while the plan line
said "from 90 days ago to now" and `4` sent a true 90 days, a start the service clamps.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from awsir_tui.app import AwsirApp
from awsir_tui.aws.cloudtrail import DEFAULT_SPAN, EventLookup
from awsir_tui.cli import Options
from awsir_tui.demo.server import DemoServer
from awsir_tui.query.times import utc_stamp, utc_text
from awsir_tui.ui.events_view import EventsView, PlanLine
from tests.helpers_app import demo_context, screen_text, wait_for
from tests.helpers_ui_events import account_ready

SIZE = (80, 24)
FILTER = "name:=ImportKeyPair"


@pytest.fixture(autouse=True)
def isolated_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))


def read_of(app: AwsirApp) -> EventLookup:
    view = app.screen
    assert isinstance(view, EventsView) and view.selection is not None
    assert view.selection.feed is not None
    return view.selection.feed.lookup


async def finished(pilot: Pilot[Any], app: AwsirApp, filter_text: str) -> EventLookup:
    """The read of ``filter_text``, once every region has answered it."""
    def done() -> bool:
        view = app.screen
        if not isinstance(view, EventsView) or view.filter_text != filter_text or (
                view.selection is None or view.selection.feed is None):
            return False
        progress = read_of(app).progress()
        return view._progress is not None and not progress.running and (
            progress.regions_done == progress.regions)
    await wait_for(pilot, done, f"the read of {filter_text!r}")
    return read_of(app)


async def test_4_reads_what_no_since_reads_and_the_plan_says_its_start(
    demo: DemoServer,
) -> None:
    app = AwsirApp(Options(), demo_context(demo), first_view="regions")
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: account_ready(app), "regions view")
        app.open_view("events", filter_text=FILTER)
        default = await finished(pilot, app, FILTER)
        view = app.screen
        assert isinstance(view, EventsView) and view.selection is not None
        plan = view.query_one(PlanLine).plan.plain
        assert "90 days ago" not in screen_text(app)
        assert f"from {utc_text(default.start)} to now" in plan, plan
        coverage = view.selection.coverage(FILTER, "Event history").text(Path("x.jsonl"), 0)
        assert f"range asked: {utc_stamp(default.start)} to " in coverage
        assert f"from {utc_text(default.start)} to now" in coverage

        await pilot.press("4")
        whole = await finished(pilot, app, f"{FILTER} since:90d")
        # The same span: each read's own start, 90 days less an hour before it began.
        assert whole.end - whole.start == default.end - default.start == DEFAULT_SPAN
        plan = view.query_one(PlanLine).plan.plain
        assert f"from {utc_text(whole.start)} to now" in plan, plan
        # Paged to the end, every region, and the same events.
        assert not whole.progress().failures
        assert whole.progress().matched == default.progress().matched > 0


def test_a_true_90_days_typed_is_never_a_start_the_service_clamps(demo: DemoServer) -> None:
    """``since:90d`` (or older) by hand: the start sent is the oldest the service keeps
    for the whole first hour of the read, and the read pages to the end."""
    from awsir_tui.aws.cloudtrail import collect
    from awsir_tui.events.lookup_source import new_lookup
    from awsir_tui.query import EVENT_FIELDS, parse

    for typed in ("since:90d", "since:100d", "after:2020-01-01"):
        before = datetime.now(UTC)
        read = new_lookup(demo_context(demo), demo.regions,
                          parse(f"{FILTER} {typed}", EVENT_FIELDS))
        assert read.start >= before - DEFAULT_SPAN, typed
        assert read.start >= before - timedelta(days=90) + timedelta(minutes=59), typed
        events = collect(read)
        assert events and not read.progress().failures, typed
