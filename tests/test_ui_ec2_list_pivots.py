"""K, S and P on a row of :instances do what they do on the row's instance page: list
every instance sharing its key pair, security group or instance profile, in every
region, or say the instance has none (#5, QA: on the list K and P did nothing and said
nothing, and S flipped the newest-first order unawares; R reverses now). Keys pressed
at 80x24 on the demo account."""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot

from awsir_tui.app import AwsirApp
from awsir_tui.demo.server import DemoServer
from awsir_tui.ui.dialogs import HelpScreen
from awsir_tui.ui.ec2_details import InstanceDetailsView
from awsir_tui.ui.ec2_instances import InstancesView
from tests.helpers_app import composed, said_after, screen_text, wait_for
from tests.helpers_ec2 import ids, launch, loaded_list, loaded_sheet, make_app, type_filter


async def pivoted(pilot: Pilot[Any], app: AwsirApp, key: str) -> tuple[str, list[str]]:
    """Press ``key``: the crumb and the instances of the list it opens; then back."""
    before = app.screen
    await pilot.press(key)
    await wait_for(pilot, lambda: app.screen is not before, f"what {key} opens")
    await loaded_list(pilot, app, InstancesView)
    crumb, found = app.screen.crumb, sorted(ids(app))
    await pilot.press("escape")
    await wait_for(pilot, lambda: app.screen is before, "back")
    return crumb, found


async def test_k_s_and_p_on_a_row_list_what_they_list_on_its_page(demo: DemoServer) -> None:
    facts = demo.facts
    app = make_app(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded_list(pilot, app, InstancesView)
        await type_filter(pilot, f"id:{facts.proxy_instance_id}")
        await wait_for(pilot, lambda: ids(app) == [facts.proxy_instance_id], "the proxy's row")
        listed = {key: await pivoted(pilot, app, key) for key in "KSP"}
        assert listed["K"][0].startswith("instances key:=")
        assert listed["S"][0].startswith("instances sg:=sg-")
        assert listed["P"][0] == f"instances profile:={facts.instance_profile_name}"
        assert all(facts.proxy_instance_id in found for _crumb, found in listed.values())

        # R on the list reverses its order.
        await pilot.press("R")
        await wait_for(pilot, lambda: "sort Launched \u2191" in screen_text(app), "reversed")
        assert isinstance(app.screen, InstancesView) and app.screen.pivot is None

        # The help lists them, with their binding ids.
        await pilot.press("question_mark")
        await wait_for(pilot, lambda: composed(app, HelpScreen, "Static"), "the help")
        assert isinstance(app.screen, HelpScreen)
        shown = app.screen.body.plain
        assert "K  Same key [instances.same_key]" in shown
        assert "S  Same group [instances.same_group]" in shown
        assert "R  Reverse [list.reverse]" in shown
        assert "P  Same profile [instances.same_profile]" in shown
        await pilot.press("escape")

        await wait_for(pilot, lambda: isinstance(app.screen, InstancesView), "the list")
        await pilot.press("enter")
        await loaded_sheet(pilot, app, InstanceDetailsView)
        assert {key: await pivoted(pilot, app, key) for key in "KSP"} == listed


async def test_k_and_p_on_a_row_without_a_key_or_a_profile_say_so(demo: DemoServer) -> None:
    """Launched without either (as the demo's instances all have a key pair)."""
    instance_id = launch(demo, demo.regions[-1])
    app = make_app(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded_list(pilot, app, InstancesView)
        await type_filter(pilot, f"id:{instance_id}")
        await wait_for(pilot, lambda: ids(app) == [instance_id], "the instance's row")
        listed = [await said_after(pilot, app, key) for key in "KP"]
        assert listed == ["this instance was launched without a key pair",
                          "this instance has no instance profile"]
        assert isinstance(app.screen, InstancesView) and app.screen.pivot is None

        await pilot.press("enter")
        await loaded_sheet(pilot, app, InstanceDetailsView)
        assert [await said_after(pilot, app, key) for key in "KP"] == listed


async def test_s_on_a_row_of_an_instance_in_two_groups_says_which_it_lists(
    demo: DemoServer,
) -> None:
    """A row has no group under a cursor: S lists the first and says so, and that the
    instance's page chooses another."""
    region = demo.regions[-1]
    ec2 = demo.client("ec2", region)
    vpc = ec2.describe_vpcs()["Vpcs"][0]["VpcId"]
    groups = [ec2.create_security_group(GroupName=f"pivot-{n}", Description="test",
                                        VpcId=vpc)["GroupId"] for n in (1, 2)]
    instance_id = launch(demo, region, SecurityGroupIds=groups)
    first = next(group["GroupId"] for group in ec2.describe_instances(
        InstanceIds=[instance_id])["Reservations"][0]["Instances"][0]["SecurityGroups"])
    app = make_app(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded_list(pilot, app, InstancesView)
        await type_filter(pilot, f"id:{instance_id}")
        await wait_for(pilot, lambda: ids(app) == [instance_id], "the instance's row")
        said = await said_after(pilot, app, "S")
        assert said == (f"instances in {first}, the first of its 2 groups "
                        "(on the instance's page, S on a group's row lists that group)")
        await wait_for(pilot, lambda: isinstance(app.screen, InstancesView)
                       and app.screen.pivot is not None, "the group's instances")
        await loaded_list(pilot, app, InstancesView)
        assert app.screen.crumb == f"instances sg:={first}"
        assert ids(app) == [instance_id]
