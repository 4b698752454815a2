"""A volume's page for forensics (Pilot at 80x24, the demo account over HTTP): the
volume's snapshots newest first, one just made with F on the instance's page among
them; whether the volume goes with its instance; "none" under an empty Tags heading;
and F on the page itself, asked and journaled as F on the instance is."""

from __future__ import annotations

from textual.pilot import Pilot

from awsir_tui.app import AwsirApp
from awsir_tui.demo.server import DemoServer
from awsir_tui.ui.dialogs import Confirm
from awsir_tui.ui.ec2_details import InterfaceView, VolumeView
from awsir_tui.ui.ec2_table import Sheet
from awsir_tui.ui.forensics import READ_ONLY_MESSAGE
from tests.helpers_app import demo_app, screen_text, wait_for
from tests.helpers_ec2 import (
    launch,
    make_app,
    move_to,
    open_edge_proxy,
    open_instance_details,
    sheet,
)
from tests.helpers_posture import notifications
from tests.test_ui_posture_forensics import confirm_shown


async def open_volume(pilot: Pilot[int], app: AwsirApp) -> str:
    """Enter on the instance page's first volume; its ID, once its snapshots are read."""
    await move_to(pilot, app, "vol-")
    volume_id = app.screen.sheet.target()[1]  # type: ignore[attr-defined,index]
    await pilot.press("enter")
    await wait_for(pilot, lambda: isinstance(app.screen, VolumeView)
                   and app.screen.snapshots is not None, "the volume's snapshots")
    await pilot.pause()
    return str(volume_id)


def section(app: AwsirApp, title: str) -> list[str]:
    """The rows of the page's section ``title``, its heading left out."""
    rows = sheet(app)
    start = rows.index(title) + 1
    headings = app.screen.query_one(Sheet)._headings
    end = min((h for h in headings if h >= start), default=len(rows))
    return [" ".join(row.split()) for row in rows[start:end]]


async def answer_each(pilot: Pilot[int], app: AwsirApp, volume_id: str) -> None:
    """Yes to the confirmation that copies ``volume_id``, no to the others."""
    while True:
        await wait_for(pilot, lambda: confirm_shown(app) or not any(
            w.group == "forensics" and not w.is_finished for w in app.workers), "a question")
        if not isinstance(app.screen, Confirm):
            return
        question = screen_text(app)
        await pilot.press("Y" if f"resource: {volume_id}" in question else "n")
        await pilot.pause()


async def test_the_volume_page_lists_a_snapshot_made_with_f_and_says_it_is_kept(
    demo: DemoServer
) -> None:
    """The page had no snapshots at all, and no word of DeleteOnTermination (moto's
    volume leaves it out; the instance's block device mapping says it)."""
    app = demo_app(demo, allow_actions=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_edge_proxy(pilot, app)
        volume_id = await open_volume(pilot, app)
        before = [row for row in section(app, "Snapshots newest first") if row != "none"]
        await pilot.press("escape")
        await pilot.press("F")
        await answer_each(pilot, app, volume_id)
        await wait_for(pilot, lambda: any("created snap-" in m for m in notifications(app)),
                       "the snapshot made")
        made = next(c.created for c in app.ctx.guard.calls if c.mutating and c.created)
        volume_id = await open_volume(pilot, app)
        rows = section(app, "Snapshots newest first")
        assert len(rows) == len(before) + 1 and rows[0].startswith(f"{made} completed 20"), rows
        assert "awsir-tui forensic snapshot" in rows[0], rows
        [attached] = section(app, "Attachments")
        assert attached.endswith("kept on termination"), attached


async def test_f_on_the_volume_page_snapshots_that_volume_asked_and_journaled(
    demo: DemoServer
) -> None:
    app = demo_app(demo, allow_actions=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_edge_proxy(pilot, app)
        volume_id = await open_volume(pilot, app)
        before = section(app, "Snapshots newest first")
        await pilot.press("F")
        await wait_for(pilot, lambda: confirm_shown(app), "the confirmation")
        assert f"resource: {volume_id}" in screen_text(app)
        await pilot.press("Y")
        await wait_for(pilot, lambda: isinstance(app.screen, VolumeView)
                       and len(section(app, "Snapshots newest first")) == len(
                           [r for r in before if r != "none"]) + 1, "the new snapshot listed")
        made = [(c.operation, c.outcome, c.resource) for c in app.ctx.guard.calls if c.mutating]
        assert made == [("CreateSnapshot", "ok", volume_id)]
        newest = section(app, "Snapshots newest first")[0]
        created = next(c.created for c in app.ctx.guard.calls if c.mutating)
        assert newest.startswith(created), newest
        assert app.case is not None
        assert any(created in action.text for action in app.case.actions())


async def test_f_on_the_volume_page_of_a_read_only_session_journals_the_volume(
    demo: DemoServer
) -> None:
    app = make_app(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_edge_proxy(pilot, app)
        volume_id = await open_volume(pilot, app)
        await pilot.press("F")
        await wait_for(pilot, lambda: READ_ONLY_MESSAGE in " ".join(notifications(app)), "refused")
        asked = [(c.operation, c.outcome, c.resource)
                 for c in app.ctx.guard.calls if c.mutating]
        assert asked == [("CreateSnapshot", "refused", volume_id)]


async def test_an_empty_tags_heading_says_none(demo: DemoServer) -> None:
    """An instance launched untagged: the instance's, the volume's and the interface's
    Tags headings had nothing under them."""
    instance_id = launch(demo, "eu-west-1")
    app = make_app(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_instance_details(pilot, app, instance_id)
        assert section(app, "Tags") == ["none"], sheet(app)
        await open_volume(pilot, app)
        assert section(app, "Tags") == ["none"], sheet(app)
        await pilot.press("escape")
        await move_to(pilot, app, "eni-")
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, InterfaceView), "the interface")
        await pilot.pause()
        assert section(app, "Tags") == ["none"], sheet(app)


async def test_f_on_a_volume_detached_since_the_page_opened_snapshots_it_alone(
    demo: DemoServer
) -> None:
    """The attacker detaches a data volume while the responder reads the instance's
    page: F on that volume's page said it was no longer attached, and made nothing.
    The volume is the evidence; its snapshot names it alone."""
    region = demo.facts.proxy_region
    ec2 = demo.client("ec2", region)
    instance_id = launch(demo, region)
    zone = ec2.describe_instances(InstanceIds=[instance_id])[
        "Reservations"][0]["Instances"][0]["Placement"]["AvailabilityZone"]
    volume_id = ec2.create_volume(Size=8, AvailabilityZone=zone)["VolumeId"]
    ec2.attach_volume(VolumeId=volume_id, InstanceId=instance_id, Device="/dev/sdg")
    app = demo_app(demo, allow_actions=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_instance_details(pilot, app, instance_id)
        ec2.detach_volume(VolumeId=volume_id, InstanceId=instance_id, Device="/dev/sdg")
        await move_to(pilot, app, volume_id)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, VolumeView)
                       and app.screen.snapshots is not None, "the volume's page")
        await pilot.press("F")
        await wait_for(pilot, lambda: confirm_shown(app), "the confirmation")
        question = " ".join(screen_text(app).split())
        assert f"resource: {volume_id}" in question and "attached to no instance" in question
        await pilot.press("Y")
        await wait_for(pilot, lambda: any("created snap-" in m for m in notifications(app)),
                       "the snapshot made")
        made = [(c.operation, c.outcome, c.resource) for c in app.ctx.guard.calls if c.mutating]
        assert made == [("CreateSnapshot", "ok", volume_id)]
