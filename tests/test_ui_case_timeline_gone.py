"""Enter on a timeline event its source no longer has says so (#5, responder review): a
case reopened after the demo account was made afresh (with a real account, once Event
history's 90 days have passed, or an archive's case reopened without it) opened the
events view on the event's ID as a bare "0 events" under an empty table."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from awsir_tui.app import AwsirApp
from awsir_tui.case import Case, CaseStore
from awsir_tui.case.model import TimelineEntry
from awsir_tui.case.session import default_case_name
from awsir_tui.cli import Options
from awsir_tui.demo.scenario import Facts
from awsir_tui.demo.server import DemoServer
from awsir_tui.ui.case_timeline import TimelineView
from awsir_tui.ui.events_view import EventsView
from tests.helpers_app import demo_app, open_view, screen_text, wait_for
from tests.helpers_events import SHARED
from tests.helpers_ui_events import account_ready, archive_loaded, filter_read, offline_app

#: An event of an earlier session: an ID no source here holds.
GONE = "1c863a3f-5b1e-4f0c-9d55-0c1f0e2d9a77"
ARCHIVE = SHARED / "stratus-red-team" / "aws.discovery.ec2-download-user-data.json"


@pytest.fixture(autouse=True)
def data_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The case goes to a fresh XDG data directory, never the developer's own."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    return tmp_path


def saved_case(name: str) -> None:
    """Case ``name`` as an earlier session left it: one event marked, an hour ago."""
    case = Case(name)
    case.timeline = {GONE: TimelineEntry(GONE, datetime.now(UTC) - timedelta(hours=1),
                                         "RunInstances", user="i-b2547952490b7fe51",
                                         outcome="InstanceLimitExceeded")}
    CaseStore().save(case)


async def enter_on_the_event(pilot: Pilot[Any], app: AwsirApp) -> EventsView:
    """:timeline, Enter on its one row: the events view opened on the event's ID."""
    timeline = await open_view(pilot, app, "timeline")
    assert isinstance(timeline, TimelineView)
    await wait_for(pilot, lambda: "RunInstances" in screen_text(app), "the event's row")
    await pilot.press("g", "enter")
    await wait_for(pilot, lambda: isinstance(app.screen, EventsView), "the events view")
    assert isinstance(app.screen, EventsView)
    return app.screen


async def test_an_event_gone_from_event_history_says_so(
    demo: DemoServer, demo_facts: Facts,
) -> None:
    saved_case(default_case_name(demo_facts.account_id))
    app = demo_app(demo, first_view="regions")
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: account_ready(app) and app.case is not None
                       and GONE in app.case.case.timeline, "the case reopened")
        events = await enter_on_the_event(pilot, app)
        assert events.filter_text.startswith(f"id:={GONE}")
        await wait_for(pilot, lambda: "was not found in Event history" in screen_text(app),
                       "the read's end said")
        shown = " ".join(screen_text(app).split())
        assert "0 events" in shown and "not its whole record" in shown, shown
        # Typed over, the filter's empty answer is its own: the event is not named.
        await filter_read(pilot, events, "name:NoSuchCall")
        await wait_for(pilot, lambda: "Event history has no event with EventName = NoSuchCall"
                       in " ".join(screen_text(app).split()), "its own empty answer said")
        assert "was not found" not in screen_text(app)


async def test_an_event_not_in_the_archive_given_says_so() -> None:
    """A case of an archive whose files do not hold the event: the store finds none."""
    saved_case(default_case_name("", [str(ARCHIVE)]))
    app = offline_app(Options(sources=[str(ARCHIVE)]))
    async with app.run_test(size=(80, 24)) as pilot:
        await archive_loaded(pilot, app)
        await wait_for(pilot, lambda: app.case is not None
                       and GONE in app.case.case.timeline, "the case reopened")
        await enter_on_the_event(pilot, app)
        await wait_for(pilot, lambda: "was not found in" in screen_text(app),
                       "the search's end said")
        assert "0 events" in screen_text(app)
