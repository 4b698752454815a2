"""E on the event page away from an instance ID, over Stratus Red Team's records at
80x24 (QA, #4): on the root of a call made with an instance's stolen credentials, E
said only "E works on a value with an instance ID", though the header showed the
instance (``DescribeInstances  i-786a3A8B5C0d92eF4 from 18.236.253.47``)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from awsir_tui.app import AwsirApp
from awsir_tui.cli import Options
from awsir_tui.ui.events_detail import EventDetailView
from awsir_tui.ui.events_view import EventsView
from tests.helpers_app import said_after, screen_text, wait_for
from tests.helpers_events import STRATUS, stratus_files
from tests.helpers_ui_events import archive_loaded, offline_app

SIZE = (80, 24)
#: The mixed case is the anonymised record's own.
STOLEN = "i-786a3A8B5C0d92eF4"


@pytest.fixture(autouse=True)
def isolated_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))


async def open_first(pilot: Pilot[Any], app: AwsirApp, filter_text: str) -> EventDetailView:
    """The page of the first row ``filter_text`` finds, typed as a responder types it."""
    view = await archive_loaded(pilot, app)
    await pilot.press("slash", *filter_text, "enter")
    await wait_for(pilot, lambda: view.filter_text == filter_text
                   and view.table.peek_row(0) is not None, filter_text)
    await pilot.press("enter")
    await wait_for(pilot, lambda: isinstance(app.screen, EventDetailView)
                   and "userIdentity" in screen_text(app), "the event's page")
    assert isinstance(app.screen, EventDetailView)
    return app.screen


async def instance_events(pilot: Pilot[Any], app: AwsirApp) -> EventsView:
    await wait_for(pilot, lambda: isinstance(app.screen, EventsView)
                   and app.screen.table.row_count > 0, "the instance's events")
    assert isinstance(app.screen, EventsView)
    return app.screen


def names(view: EventsView) -> set[str]:
    rows = (view.table.row(i) for i in range(view.table.row_count))
    return {row.event_name for row in rows if row is not None}


async def test_E_on_the_root_opens_the_caller_s_instance() -> None:
    """The stolen session's DescribeInstances: its user name is the instance ID."""
    app = offline_app(Options(sources=[str(STRATUS)]))
    async with app.run_test(size=SIZE) as pilot:
        page = await open_first(pilot, app, "key:ASIAP5CT9NN8EYVU1FXV")
        assert page.event.event_name == "DescribeInstances"
        said = await said_after(pilot, app, "E")
        assert said.startswith(f"events of {STOLEN}: the caller's instance"), said
        view = await instance_events(pilot, app)
        assert f"events of {STOLEN}" in screen_text(app)
        # Its role's sessions (the thief's calls) and the calls naming it.
        wanted = {"GetCallerIdentity", "DescribeInstances", "GetCommandInvocation"}
        await wait_for(pilot, lambda: wanted <= names(view), "the instance's rows")


async def test_E_on_a_value_that_names_no_instance_opens_the_one_the_event_names() -> None:
    """StopInstances by a user, the cursor on its source IP: the instance it stopped."""
    app = offline_app(Options(sources=[str(STRATUS)]))
    async with app.run_test(size=SIZE) as pilot:
        page = await open_first(pilot, app, "name:StopInstances")
        await pilot.press("slash", *"sourceIPAddress", "enter")
        await wait_for(pilot, lambda: page.json_tree.cursor_node is not None
                       and page.json_tree.cursor_node.data is not None
                       and page.json_tree.cursor_node.data.key == "sourceIPAddress",
                       "the source IP")
        said = await said_after(pilot, app, "E")
        assert said == "events of i-DDd6c7B0e18F0E35f: the one instance this event names"
        await instance_events(pilot, app)
        assert "events of i-DDd6c7B0e18F0E35f" in screen_text(app)


async def test_E_says_why_when_the_event_names_several_instances_or_none() -> None:
    """SendCommand to three instances: which one is the responder's to choose; a call
    by a user naming no instance: nothing to open. The page stays in both."""
    app = offline_app(Options(sources=[str(STRATUS)]))
    async with app.run_test(size=SIZE) as pilot:
        page = await open_first(pilot, app, "id:5288bfb8-e3fa-4c41-be02-6853521afe8b")
        assert page.event.event_name == "SendCommand"
        said = await said_after(pilot, app, "E")
        assert said.startswith("this event names 3 instances (i-"), said
        assert said.endswith("): E on the one to follow")
        assert app.screen is page
        await pilot.press("escape")
        page = await open_first(pilot, app, "name:StopLogging")
        said = await said_after(pilot, app, "E")
        assert said == ("no instance here: the caller's user name is no instance ID "
                        "and the event names none")
        assert app.screen is page


async def test_E_says_a_session_named_like_an_instance_is_only_named_so(tmp_path: Path) -> None:
    """A review: whoever calls AssumeRole names the session, an instance ID included.
    Without EC2's own mark on the credentials (``ec2RoleDelivery``), E still follows the
    instance the session is named after, but no longer says that its role made the call."""
    [record] = [r for r in stratus_files()["aws.credential-access.ec2-steal-instance-credentials"]
                if r.get("userIdentity", {}).get("accessKeyId") == "ASIAP5CT9NN8EYVU1FXV"
                and r["eventName"] == "DescribeInstances"][:1]
    named = json.loads(json.dumps(record))
    del named["userIdentity"]["sessionContext"]["ec2RoleDelivery"]
    (tmp_path / "logs").mkdir()
    (tmp_path / "logs" / "named.json").write_text(json.dumps({"Records": [named]}))
    app = offline_app(Options(sources=[str(tmp_path / "logs")]))
    async with app.run_test(size=SIZE) as pilot:
        await open_first(pilot, app, "name:DescribeInstances")
        said = await said_after(pilot, app, "E")
        assert said.startswith(f"events of {STOLEN}: the instance the caller's session is "
                               "named after"), said
        await instance_events(pilot, app)
