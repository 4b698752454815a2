"""Enter and m on the EC2 pages (Pilot at 80x24, the demo account): Enter on a row
that opens nothing says so instead of doing nothing; a volume's attachment opens its
instance, as a group's "used by" row does; m on the Instance heading marks the instance."""

from __future__ import annotations

from textual.pilot import Pilot

from awsir_tui.app import AwsirApp
from awsir_tui.demo.server import DemoServer
from awsir_tui.ui.ec2_details import InstanceDetailsView, VolumeView
from awsir_tui.ui.ec2_groups import SecurityGroupView
from awsir_tui.ui.ec2_keys import KeyPairsView
from awsir_tui.ui.ec2_table import NOTHING_TO_OPEN
from tests.helpers_app import wait_for
from tests.helpers_ec2 import (
    last_notification,
    loaded_list,
    loaded_sheet,
    make_app,
    move_to,
    open_edge_proxy,
    sheet,
)
from tests.helpers_iam import open_role


async def enter_opens_nothing(pilot: Pilot[int], app: AwsirApp, row: str) -> None:
    """Enter on the page's first row starting with ``row`` says there is nothing to
    open, and the page stays."""
    page = app.screen
    app.clear_notifications()
    await move_to(pilot, app, row)
    await pilot.press("enter")
    await wait_for(pilot, lambda: app._notifications, "what Enter says")
    assert last_notification(app) == NOTHING_TO_OPEN
    assert app.screen is page


async def test_enter_on_a_row_that_opens_nothing_says_so(demo: DemoServer) -> None:
    """Enter on the Volumes heading or on ``in OPEN tcp/3128 from 0.0.0.0/0`` did
    nothing, silently."""
    app = make_app(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_edge_proxy(pilot, app)
        for row in ("Volumes", "in OPEN"):
            await enter_opens_nothing(pilot, app, row)


async def test_enter_on_a_volumes_attachment_opens_its_instance(demo: DemoServer) -> None:
    app = make_app(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_edge_proxy(pilot, app)
        page = app.screen
        instance_id = str(page.instance["InstanceId"])  # type: ignore[attr-defined]
        await move_to(pilot, app, "vol-")
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, VolumeView), "the volume")
        await pilot.pause()
        await move_to(pilot, app, instance_id)
        assert sheet(app)[app.screen.sheet.cursor_row].startswith(  # type: ignore[attr-defined]
            f"{instance_id} \u25b8")
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, InstanceDetailsView)
                       and app.screen is not page, "the instance's page")
        assert app.screen.instance["InstanceId"] == instance_id  # type: ignore[attr-defined]


async def test_m_on_the_instance_heading_marks_the_instance(demo: DemoServer) -> None:
    """It said "nothing to mark here", while m on the ID row below marks the instance."""
    app = make_app(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_edge_proxy(pilot, app)
        instance_id = str(app.screen.instance["InstanceId"])  # type: ignore[attr-defined]
        await move_to(pilot, app, "Instance")
        await pilot.press("m")
        await wait_for(pilot, lambda: app._notifications, "what m says")
        assert last_notification(app) == f"marked instance-id {instance_id}"
        assert app.case is not None
        assert ("instance-id", instance_id) in app.case.case.indicators


async def test_the_group_and_role_pages_say_so_too(demo: DemoServer) -> None:
    """The same Enter on a group's or a role's heading did nothing, silently: the EC2
    pages said why, these did not."""
    app = make_app(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_edge_proxy(pilot, app)
        proxy = app.screen
        role = await open_role(pilot, app)
        assert app.screen is role
        await enter_opens_nothing(pilot, app, "Policies")
        await pilot.press("escape")  # back to the proxy, then its first group
        await wait_for(pilot, lambda: app.screen is proxy, "the proxy's page")
        await move_to(pilot, app, "sg-")
        await pilot.press("enter")
        await loaded_sheet(pilot, app, SecurityGroupView)
        await enter_opens_nothing(pilot, app, "Inbound rules")


async def test_enter_on_the_key_name_at_the_top_opens_the_key(demo: DemoServer) -> None:
    """The Instance section's ``Key name`` is the first row a responder tries: it said
    there was nothing to open, the key's link being its Key pair section's Name row."""
    app = make_app(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_edge_proxy(pilot, app)
        key = str(app.screen.instance["KeyName"])  # type: ignore[attr-defined]
        await move_to(pilot, app, "Key name")
        assert sheet(app)[app.screen.sheet.cursor_row].startswith(  # type: ignore[attr-defined]
            "Key name \u25b8")
        await pilot.press("enter")
        await loaded_list(pilot, app, KeyPairsView)
        view = app.screen
        assert isinstance(view, KeyPairsView) and view.filter_text.startswith(f"name:={key}")
