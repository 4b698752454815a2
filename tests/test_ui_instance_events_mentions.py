"""E lists every event of an instance its source can find (a responder review, #5).

Over an archive of Stratus Red Team's stolen-credentials detonation, E on the thief's
call listed 7 events (``user:=ID OR resource:=ID``) where ``/ID`` found 45: the 38
left out are DescribeInstanceInformation calls naming the instance in their request's
filters, the attacker polling it before SendCommand. An archive's store searches the
whole record, so E searches it for the ID; Event history can look the instance up only
by user name and resource, so E keeps those two lookups and says what they miss.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from textual.pilot import Pilot

from awsir_tui.app import AwsirApp
from awsir_tui.cli import Options
from awsir_tui.demo.server import DemoServer
from awsir_tui.ui.ec2_instances import InstancesView
from awsir_tui.ui.events_detail import EventDetailView
from awsir_tui.ui.events_view import EventsView
from tests.helpers_app import (
    demo_app,
    help_shown,
    open_view,
    said_after,
    screen_text,
    wait_for,
)
from tests.helpers_ec2 import loaded_list, open_instance_details, type_filter
from tests.helpers_events import STEAL_CREDENTIALS, STRATUS
from tests.helpers_ui_events import archive_loaded, offline_app
from tests.test_ui_events_cancelled_read import status_row

SIZE = (80, 24)
#: The mixed case is the anonymised record's own.
STOLEN = "i-786a3A8B5C0d92eF4"


def logs(tmp_path: Path) -> Path:
    """A folder holding a copy of the detonation's one file, as the responder had it."""
    folder = tmp_path / "logs"
    folder.mkdir()
    shutil.copy(STRATUS / f"{STEAL_CREDENTIALS}.json", folder)
    return folder


async def events_above(pilot: Pilot[Any], app: AwsirApp, below: object) -> EventsView:
    """The events view E opened, once its rows are sorted and shown."""
    def shown() -> bool:
        view = app.screen
        return (isinstance(view, EventsView) and view is not below
                and view.selection is not None and view.table.source is view.selection
                and view.table.row_count > 0)

    await wait_for(pilot, shown, "the instance's events")
    assert isinstance(app.screen, EventsView)
    return app.screen


async def wait_for_events(pilot: Pilot[Any], app: AwsirApp) -> EventsView:
    """The events view on top, its read or search begun."""
    await wait_for(pilot, lambda: isinstance(app.screen, EventsView)
                   and app.screen.selection is not None, "the events view")
    assert isinstance(app.screen, EventsView)
    return app.screen


async def test_E_over_an_archive_lists_the_calls_naming_the_instance_anywhere(
    tmp_path: Path,
) -> None:
    app = offline_app(Options(sources=[str(logs(tmp_path))]))
    async with app.run_test(size=SIZE) as pilot:
        first = await archive_loaded(pilot, app)
        await pilot.press("slash", *f"user:{STOLEN}", "enter")
        await wait_for(pilot, lambda: first.filter_text == f"user:{STOLEN}"
                       and first.table.peek_row(0) is not None, "the thief's calls")
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, EventDetailView), "its page")
        said = await said_after(pilot, app, "E")
        assert said.startswith(f"events of {STOLEN}"), said
        view = await events_above(pilot, app, first)
        assert view.filter_text == STOLEN
        assert view.crumb == f"events of {STOLEN}"
        assert view.selection is not None
        rows = view.selection.fetch(0, 100)
        assert len(rows) == view.table.row_count == 45
        polls = [e for e in rows if e.event_name == "DescribeInstanceInformation"]
        assert len(polls) == 38 and {e.user_name for e in polls} == {"christophe"}
        assert "45 events" in screen_text(app)
        assert "not looked up" not in screen_text(app)


async def test_slash_on_an_instance_page_over_an_archive_scopes_as_E_does(
    demo: DemoServer, tmp_path: Path,
) -> None:
    """The instance page's `/` starts with the terms E filters with: over an archive,
    the ID alone (it had stayed ``user:=ID OR resource:=ID``)."""
    instance = demo.facts.malicious_instance_id
    app = demo_app(demo, sources=[str(logs(tmp_path))])
    async with app.run_test(size=SIZE) as pilot:
        await archive_loaded(pilot, app)  # --source opens on the events
        await open_view(pilot, app, "instances")
        await open_instance_details(pilot, app, instance)
        page = app.screen
        await pilot.press("slash", *"name:Run", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, EventsView), "the events")
        assert isinstance(app.screen, EventsView)
        assert app.screen.filter_text == f"{instance} name:Run"
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is page, "the instance's page")
        await pilot.press("E")
        view = await wait_for_events(pilot, app)
        assert view.filter_text == instance


async def test_E_over_event_history_sends_two_lookups_and_says_what_they_miss(
    demo: DemoServer,
) -> None:
    instance = demo.facts.malicious_instance_id
    app = demo_app(demo)
    async with app.run_test(size=SIZE) as pilot:
        await loaded_list(pilot, app, InstancesView)
        await type_filter(pilot, f"id:={instance}")
        said = await said_after(pilot, app, "E")
        # In a line: the whole took 12 rows beside the list for 15 s at every E.
        assert said == "other mentions (a request's filters) are not looked up: ? says how"
        view = await wait_for_events(pilot, app)
        assert view.filter_text == f"user:={instance} OR resource:={instance}"
        assert view.selection is not None and view.selection.feed is not None
        assert view.selection.feed.lookup.attributes == [
            ("Username", instance), ("ResourceName", instance)]
        await wait_for(pilot, lambda: "other mentions not looked up (?)" in screen_text(app),
                       "the status line's word of it")
        # After the counts, which an 80-column cut must leave whole (the cap's boundary).
        row = status_row(app, view)
        assert row.index(" events") < row.index("other mentions"), row
        whole = await help_shown(pilot, app)
        assert "a call naming it only elsewhere, as in a request's filters" in whole
        assert "/ with the ID alone reads every event" in whole
        await pilot.press("escape")
        # Cleared and typed over, the rows are no longer the instance's: nothing more to say.
        await pilot.press("slash", "ctrl+u", *"name:RunInstances", "enter")
        await wait_for(pilot, lambda: view.filter_text == "name:RunInstances"
                       and "not looked up" not in screen_text(app), "the status line without it")
