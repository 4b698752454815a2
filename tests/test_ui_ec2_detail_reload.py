"""r on an instance's page reads the instance again, not only its sections (Pilot at
80x24, the demo account over HTTP): terminated by the attacker meanwhile, the page said
"running" while the app's own I said "terminated"."""

from __future__ import annotations

from awsir_tui.app import AwsirApp
from awsir_tui.demo.server import DemoServer
from awsir_tui.ui.ec2_details import InstanceDetailsView
from awsir_tui.ui.ec2_instances import InstancesView
from tests.helpers_app import demo_app, screen_text, wait_for
from tests.helpers_ec2 import launch, lines_of, open_instance_details, sheet


def shows(app: AwsirApp, line: str) -> bool:
    """Whether the page has ``line`` (``label value``, runs of spaces made one)."""
    return line in lines_of("\n".join(sheet(app)))


async def test_r_reads_the_instance_again_after_the_attacker_terminates_it(
    demo: DemoServer,
) -> None:
    region = demo.facts.proxy_region
    instance_id = launch(demo, region)
    app = demo_app(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_instance_details(pilot, app, instance_id)
        assert shows(app, "State running")
        ec2 = demo.client("ec2", region)  # the attacker, with ec2:*
        ec2.create_tags(Resources=[instance_id], Tags=[{"Key": "cleanup", "Value": "done"}])
        ec2.terminate_instances(InstanceIds=[instance_id])
        await pilot.press("r")
        await wait_for(pilot, lambda: shows(app, "State terminated"), "the state read again")
        await wait_for(pilot, lambda: app.screen.loaded, "the sections read again")
        assert not shows(app, "State running")
        assert shows(app, "cleanup done")  # the tags the instance has now


async def test_the_list_shows_the_instance_as_its_page_read_it_again(
    demo: DemoServer,
) -> None:
    """Back from the page where r said "terminated", :instances still said "running"
    until its own r: the list now draws the instance as the page read it."""
    region = demo.facts.proxy_region
    instance_id = launch(demo, region)
    app = demo_app(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_instance_details(pilot, app, instance_id)
        listing = app.screen_stack[-2]
        assert isinstance(listing, InstancesView)
        assert state_in_list(listing, instance_id) == "running"
        demo.client("ec2", region).terminate_instances(InstanceIds=[instance_id])
        await pilot.press("r")
        await wait_for(pilot, lambda: shows(app, "State terminated"), "the state read again")
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is listing, "the list")
        await wait_for(pilot, lambda: state_in_list(listing, instance_id) == "terminated",
                       "the list's row as the page read it")
        await wait_for(pilot, lambda: any(instance_id in line and "terminated" in line
                                          for line in screen_text(app).splitlines()),
                       "the row on screen: " + screen_text(app))


def state_in_list(listing: InstancesView, instance_id: str) -> str:
    """The state the list's row of ``instance_id`` is drawn with."""
    item = next(i for i in listing.table.items if i.get("InstanceId") == instance_id)
    return str((item.get("State") or {}).get("Name", ""))


async def test_an_action_refused_on_a_terminated_instance_redraws_its_page(
    demo: DemoServer,
) -> None:
    """F said "is terminated" while the page under it still said "running"."""
    region = demo.facts.proxy_region
    instance_id = launch(demo, region)
    app = demo_app(demo, allow_actions=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_instance_details(pilot, app, instance_id)
        demo.client("ec2", region).terminate_instances(InstanceIds=[instance_id])
        await pilot.press("F")
        await wait_for(pilot, lambda: shows(app, "State terminated"), "the page read again")
        notes = [str(n.message) for n in app._notifications]
        assert any(f"{instance_id} is terminated" in note for note in notes), notes


async def test_r_on_an_instance_ec2_no_longer_returns_says_it_is_gone(
    demo: DemoServer,
) -> None:
    """An instance EC2 has forgotten (terminated long ago; the demo never forgets one,
    so a page opened on an ID it never had): r says so, and drops what it showed."""
    region = demo.facts.proxy_region
    app = demo_app(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: len(app.screen_stack) > 1, "the first view")
        app.push_screen(InstanceDetailsView({
            "InstanceId": "i-0ffffffffffffffff", "Region": region,
            "State": {"Name": "running"}, "PublicIpAddress": "198.51.100.7"}))
        await wait_for(pilot, lambda: isinstance(app.screen, InstanceDetailsView)
                       and app.screen.loaded, "the page")
        assert shows(app, "State running")
        await pilot.press("r")
        await wait_for(pilot, lambda: any(line.startswith("no longer exists:")
                                          for line in sheet(app)), "the page saying it is gone")
        assert not shows(app, "State running")
        assert not any("198.51.100.7" in line for line in sheet(app))
