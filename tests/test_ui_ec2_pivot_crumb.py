"""The breadcrumb of "instances that share X" says it in the filter's own terms: the
filter it shows, typed into :instances, lists the same instances (``group=sg-…``,
``key=…`` read as filters, and typed as ones were refused). Keys pressed at 80x24 on
the demo account."""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot

from awsir_tui.app import AwsirApp
from awsir_tui.demo.server import DemoServer
from awsir_tui.ui.ec2_details import InstanceDetailsView
from awsir_tui.ui.ec2_groups import SecurityGroupsView, SecurityGroupView
from awsir_tui.ui.ec2_instances import InstancesView
from tests.helpers_app import open_view, screen_text
from tests.helpers_ec2 import (
    ids,
    loaded_list,
    loaded_sheet,
    make_app,
    open_instance_details,
    type_filter,
)


async def same_as_typed(pilot: Pilot[Any], app: AwsirApp, crumb: str) -> None:
    """The pivot's instances are the ones its crumb's filter lists in :instances."""
    pivoted = ids(app)  # the pivot's list
    assert pivoted
    filter_text = crumb.removeprefix("instances ")
    await open_view(pilot, app, "instances")
    await loaded_list(pilot, app, InstancesView)
    await type_filter(pilot, filter_text)
    view = app.screen
    assert isinstance(view, InstancesView) and view.filter_text == filter_text  # not refused
    assert sorted(ids(app)) == sorted(pivoted)


async def test_a_pivots_crumb_is_the_filter_that_lists_its_instances(
    demo: DemoServer,
) -> None:
    facts = demo.facts
    app = make_app(demo, first_view="sg")
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded_list(pilot, app, SecurityGroupsView)
        await type_filter(pilot, f"id:{facts.attacker_group_id}")
        await pilot.press("enter")
        await loaded_sheet(pilot, app, SecurityGroupView)
        await pilot.press("I")  # the instances using the group
        await loaded_list(pilot, app, InstancesView)
        crumb = app.screen.crumb
        assert crumb == f"instances sg:={facts.attacker_group_id}"
        assert crumb in screen_text(app).splitlines()[1]  # the breadcrumb's line
        await same_as_typed(pilot, app, crumb)

        await type_filter(pilot, f"id:{facts.malicious_instance_id}")
        await pilot.press("enter")
        await loaded_sheet(pilot, app, InstanceDetailsView)
        await pilot.press("K")  # the instances launched with its key pair
        await loaded_list(pilot, app, InstancesView)
        crumb = app.screen.crumb
        assert crumb == f"instances key:={facts.attacker_key_name}"
        await same_as_typed(pilot, app, crumb)


async def test_a_profiles_crumb_names_it_as_the_filter_does(demo: DemoServer) -> None:
    facts = demo.facts
    app = make_app(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_instance_details(pilot, app, facts.proxy_instance_id)
        await pilot.press("P")  # the instances with the same instance profile
        await loaded_list(pilot, app, InstancesView)
        crumb = app.screen.crumb
        assert crumb == f"instances profile:={facts.instance_profile_name}"
        await same_as_typed(pilot, app, crumb)
