"""E on a security group or a key pair finds every event its source can (#5).

E on an instance over an archive searches the whole record for its ID (the thief's
DescribeInstanceInformation polls name it only in their filters); E on a group or a
key pair still asked ``resource:=`` alone, and missed the same kind of call: the
attacker's DescribeSecurityGroups by ``group-id``, DescribeKeyPairs by ``key-name``.
Over an archive a group's ID is now searched anywhere in a record, and a key pair's
name, its owner's word, as a whole JSON string (``"ops"`` is not in ``"ops-old"``).
Event history can only look them up by resource: E says what that misses.

The archive is the real AuthorizeSecurityGroupIngress of Stratus Red Team's
open-port-22 detonation, aimed at the demo attacker's group, and the two searches
written in the same record's shape.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

from textual.pilot import Pilot

from awsir_tui.app import AwsirApp
from awsir_tui.demo.scenario import Facts
from awsir_tui.demo.server import DemoServer
from awsir_tui.ui.dialogs import HelpScreen
from awsir_tui.ui.ec2_groups import SecurityGroupsView
from awsir_tui.ui.ec2_keys import KeyPairsView
from awsir_tui.ui.events_view import EventsView
from tests.helpers_app import composed, demo_app, open_view, said_after, screen_text, wait_for
from tests.helpers_ec2 import loaded_list, type_filter
from tests.helpers_events import STRATUS
from tests.helpers_ui_events import archive_loaded
from tests.test_ui_instance_events_mentions import events_above

SIZE = (80, 24)
OPEN_PORT_22 = "aws.exfiltration.ec2-security-group-open-port-22-ingress"


def searched_by(base: dict[str, Any], name: str, event_id: str,
                filter_name: str, value: str) -> dict[str, Any]:
    """``base`` made a search (Describe*) filtering on ``filter_name`` = ``value``, as
    EC2 logs one: the value only in the request's ``filterSet``."""
    record = copy.deepcopy(base)
    record.update(eventName=name, eventID=event_id, readOnly=True, responseElements=None,
                  requestParameters={"filterSet": {"items": [
                      {"name": filter_name, "valueSet": {"items": [{"value": value}]}}]}})
    return record


def tagged(base: dict[str, Any], value: str) -> dict[str, Any]:
    """``base`` made a CreateTags writing ``Owner=value``: a tag of the key's name is no
    mention of the key (a key named ``ops``, an instance owned by ``ops``)."""
    record = copy.deepcopy(base)
    record.update(eventName="CreateTags", eventID="e0000000-0000-4000-8000-000000000004",
                  responseElements=None, requestParameters={
                      "resourcesSet": {"items": [{"resourceId": "i-0aaaaaaaaaaaaaaaa"}]},
                      "tagSet": {"items": [{"key": "Owner", "value": value}]}})
    return record


def archive(tmp_path: Path, facts: Facts) -> Path:
    """A folder with one log file: the group opened to the world, the attacker's
    searches for the group and the key, a search for a key whose name only begins
    with the attacker's, and a tag whose value is the key's name."""
    recorded = json.loads((STRATUS / f"{OPEN_PORT_22}.json").read_text())
    opened = recorded["Records"][0] if isinstance(recorded, dict) else recorded[0]
    text = json.dumps(opened).replace("sg-003dc7f1f1c686164", facts.attacker_group_id)
    opened = json.loads(text)
    records = [
        opened,
        searched_by(opened, "DescribeSecurityGroups", "e0000000-0000-4000-8000-000000000001",
                    "group-id", facts.attacker_group_id),
        searched_by(opened, "DescribeKeyPairs", "e0000000-0000-4000-8000-000000000002",
                    "key-name", facts.attacker_key_name),
        searched_by(opened, "DescribeKeyPairs", "e0000000-0000-4000-8000-000000000003",
                    "key-name", f"{facts.attacker_key_name}-old"),
        tagged(opened, facts.attacker_key_name),
    ]
    folder = tmp_path / "logs"
    folder.mkdir()
    (folder / "trail.json").write_text(json.dumps({"Records": records}))
    return folder


async def events_of_E(pilot: Pilot[Any], app: AwsirApp) -> EventsView:
    """The events view `E` opened, its rows sorted and shown."""
    below = app.screen
    await pilot.press("E")
    return await events_above(pilot, app, below)


async def test_E_over_an_archive_finds_a_group_and_a_key_named_in_search_filters(
    demo: DemoServer, tmp_path: Path,
) -> None:
    facts = demo.facts
    group, key = facts.attacker_group_id, facts.attacker_key_name
    app = demo_app(demo, sources=[str(archive(tmp_path, facts))])
    async with app.run_test(size=SIZE) as pilot:
        await archive_loaded(pilot, app)  # --source opens on the events
        await open_view(pilot, app, "sg")
        await loaded_list(pilot, app, SecurityGroupsView)
        await type_filter(pilot, f"id:={group}")
        view = await events_of_E(pilot, app)
        assert view.filter_text == group
        assert view.crumb == f"events of {group}"
        assert view.selection is not None
        names = sorted(e.event_name for e in view.selection.fetch(0, 10))
        assert names == ["AuthorizeSecurityGroupIngress", "DescribeSecurityGroups"]
        assert "not looked up" not in screen_text(app)

        await open_view(pilot, app, "keys")
        await loaded_list(pilot, app, KeyPairsView)
        await type_filter(pilot, f"name:={key}")
        view = await events_of_E(pilot, app)
        assert view.crumb == f"events of {key}"
        assert view.selection is not None
        found = view.selection.fetch(0, 10)
        # Not the search for another key whose name begins so, nor the tag of its value.
        assert [e.event_id for e in found] == ["e0000000-0000-4000-8000-000000000002"]


async def test_E_on_a_group_over_event_history_says_what_the_lookup_misses(
    demo: DemoServer,
) -> None:
    group = demo.facts.attacker_group_id
    app = demo_app(demo, first_view="sg")
    async with app.run_test(size=SIZE) as pilot:
        await loaded_list(pilot, app, SecurityGroupsView)
        await type_filter(pilot, f"id:={group}")
        said = await said_after(pilot, app, "E")
        assert "other mentions (a request's filters) are not looked up" in said, said
        await wait_for(pilot, lambda: isinstance(app.screen, EventsView), "the events")
        view = app.screen
        assert isinstance(view, EventsView)
        assert view.filter_text == f"resource:={group}"
        assert view.selection is not None and view.selection.feed is not None
        assert view.selection.feed.lookup.attributes == [("ResourceName", group)]
        await wait_for(pilot, lambda: "other mentions not looked up (?)" in screen_text(app),
                       "the status line's word of it")
        await pilot.press("question_mark")
        await wait_for(pilot, lambda: composed(app, HelpScreen, "Static"), "the help")
        assert isinstance(app.screen, HelpScreen)
        whole = " ".join(app.screen.body.plain.split())
        assert f"asked for {group} only as a resource" in whole
        assert "/ with the ID alone reads every event" in whole
