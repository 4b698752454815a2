"""A rule whose peer is another security group (Textual Pilot, 80x24, the demo account):
the rule names that group, and Enter opens it, from a group's page or an instance's."""

from __future__ import annotations

import re

from textual.pilot import Pilot

from awsir_tui.app import AwsirApp
from awsir_tui.demo.server import DemoServer
from awsir_tui.ui.ec2_details import InstanceDetailsView
from awsir_tui.ui.ec2_groups import SecurityGroupsView, SecurityGroupView
from awsir_tui.ui.ec2_instances import InstancesView
from tests.helpers_app import screen_text, wait_for
from tests.helpers_ec2 import loaded_list, loaded_sheet, make_app, move_to, sheet, type_filter

#: The demo's prod database group admits Postgres from the prod app group only.
PEER_RULE = re.compile(r"tcp/5432 from (sg-[0-9a-f]+)")


async def open_peer(pilot: Pilot[int], app: AwsirApp, rule: str) -> str:
    """Enter on the ``rule`` row; its peer group's page once the region's groups are read.
    Returns the peer's ID."""
    peer_id = PEER_RULE.search(rule).group(1)  # type: ignore[union-attr]
    await move_to(pilot, app, rule)
    await pilot.press("enter")
    await wait_for(pilot, lambda: isinstance(app.screen, SecurityGroupView)
                   and app.screen.crumb == peer_id
                   and app.screen.region_groups is not None, "peer group read")
    await loaded_sheet(pilot, app, SecurityGroupView)
    return peer_id


async def test_a_rule_names_its_peer_group_and_enter_opens_it(demo: DemoServer) -> None:
    app = make_app(demo, first_view="sg")
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded_list(pilot, app, SecurityGroupsView)
        await type_filter(pilot, "name:=shop-prod-db")
        await pilot.press("enter")
        await loaded_sheet(pilot, app, SecurityGroupView)
        await wait_for(pilot, lambda: app.screen.region_groups is not None, "names read")
        await pilot.pause()
        rule = next(row for row in sheet(app) if PEER_RULE.search(row))
        assert rule.startswith("\u25b8 ") and rule.endswith(" (shop-prod-app)")
        assert "(shop-prod-app)" in screen_text(app)

        peer_id = await open_peer(pilot, app, rule)
        assert f"ID {peer_id}" in sheet(app) and "Name shop-prod-app" in sheet(app)
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, SecurityGroupView)
                       and app.screen.group.get("GroupName") == "shop-prod-db", "back")


async def test_from_an_instance_a_peer_known_by_id_alone_opens_with_its_rules(
    demo: DemoServer,
) -> None:
    """The instance's details read its own groups only: the peer is opened by its ID
    and its page reads the rest (name, rules, users) from the region's groups."""
    app = make_app(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded_list(pilot, app, InstancesView)
        await type_filter(pilot, "name:=shop-db-01")
        await pilot.press("enter")
        await loaded_sheet(pilot, app, InstanceDetailsView)
        rule = next(row for row in sheet(app) if PEER_RULE.search(row))
        assert rule.startswith("in \u25b8 ")
        peer_id = await open_peer(pilot, app, rule)
        rows = sheet(app)
        assert f"ID {peer_id}" in rows and "Name shop-prod-app" in rows
        assert any(row.startswith("\u25b8 tcp/8080 from sg-") for row in rows)
        assert any(row.startswith("i-") for row in rows)  # its users, too
