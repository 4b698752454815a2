"""E on a security group (its list row or its page) or a key pair (its list row) opens
the CloudTrail events that name it, as E on an instance does (Textual Pilot, 80x24, the
demo account): the attacker's group and key lead to what the stolen credentials did."""

from __future__ import annotations

from typing import Any

import pytest
from textual.pilot import Pilot

from awsir_tui.app import AwsirApp
from awsir_tui.demo.server import DemoServer
from awsir_tui.events.record import Event
from awsir_tui.ui.ec2_groups import SecurityGroupsView, SecurityGroupView
from awsir_tui.ui.ec2_keys import KeyPairsView
from awsir_tui.ui.events_view import EventsView
from tests.helpers_app import screen_text, wait_for
from tests.helpers_ec2 import loaded_list, loaded_sheet, make_app, type_filter


async def events_opened(
    pilot: Pilot[int], app: AwsirApp, back_to: type, shows: str
) -> list[Event]:
    """`E` pressed; the events view it opened, read to the end, on screen with ``shows``
    in its rows; Esc goes back."""
    await pilot.press("E")
    await wait_for(pilot, lambda: isinstance(app.screen, EventsView), "events view")
    view: Any = app.screen
    await wait_for(pilot, lambda: view.selection is not None
                   and view.selection.feed is not None
                   and not view.selection.feed.lookup.progress().running
                   and view.selection.count() > 0, "events read", seconds=60)
    events: list[Event] = view.selection.fetch(0, 1000)
    await wait_for(pilot, lambda: shows in screen_text(app), shows)
    await pilot.press("escape")
    await wait_for(pilot, lambda: isinstance(app.screen, back_to), back_to.__name__)
    return events


@pytest.mark.parametrize("from_page", [False, True])
async def test_e_on_the_attackers_group_opens_the_events_naming_it(
    demo: DemoServer, from_page: bool
) -> None:
    facts = demo.facts
    app = make_app(demo, first_view="sg")
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded_list(pilot, app, SecurityGroupsView)
        await type_filter(pilot, f"id:{facts.attacker_group_id}")
        back_to: type = SecurityGroupsView
        if from_page:
            await pilot.press("enter")
            await loaded_sheet(pilot, app, SecurityGroupView)
            back_to = SecurityGroupView
        events = await events_opened(pilot, app, back_to, "CreateSecurityGroup")
        names = {e.event_name for e in events}
        assert {"CreateSecurityGroup", "AuthorizeSecurityGroupIngress", "RunInstances"} <= names
        assert all(facts.attacker_group_id in e.resources for e in events)
        assert {e.source_ip for e in events} == {facts.attacker_ip}


async def test_e_on_the_attackers_key_opens_the_events_naming_it(demo: DemoServer) -> None:
    facts = demo.facts
    app = make_app(demo, first_view="keys")
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded_list(pilot, app, KeyPairsView)
        await type_filter(pilot, f"name:={facts.attacker_key_name}")
        events = await events_opened(pilot, app, KeyPairsView, "ImportKeyPair")
        names = {e.event_name for e in events}
        assert {"ImportKeyPair", "RunInstances"} <= names
        assert all(facts.attacker_key_name in e.resources for e in events)
        launched = [e for e in events if e.event_name == "RunInstances" and not e.error_code]
        assert len(launched) == 1 and facts.malicious_instance_id in launched[0].resources
