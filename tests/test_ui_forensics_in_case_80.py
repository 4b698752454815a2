"""A forensic call reaches the case whatever its end, and :timeline tells its rows apart
at 80 columns (responder review #1, #3).

A snapshot that failed because the instance was terminated meanwhile (its root volume
deleted) said so for Textual's 5 s and was gone: only a success became a note. The
notes of two snapshots read alike at 80 columns (``forensic CreateSnapshot in
eu-west-1: snap…``), who blank and the outcome ``note``. Now each call is an action
of the case: the volume first, then what it made, the identity under who, ``ok`` or
the error code under outcome."""

from __future__ import annotations

from textual.notifications import Notification
from textual.pilot import Pilot

from awsir_tui.app import AwsirApp
from awsir_tui.demo.server import DemoServer
from awsir_tui.ui.case_timeline import TimelineTable, TimelineView
from awsir_tui.ui.forensics import EVIDENCE_MADE, RESULT_TIMEOUT
from tests.helpers_app import demo_app, open_view, screen_text, wait_for
from tests.helpers_ec2 import launch, open_instance_details
from tests.test_ui_ec2_detail_volume import open_volume
from tests.test_ui_forensics_title import forensics_running
from tests.test_ui_posture_forensics import confirm_shown

REGION = "eu-west-1"


def _notice(app: AwsirApp, title: str) -> Notification | None:
    return next((n for n in app._notifications if n.title == title), None)


async def _volume_page(pilot: Pilot[int], app: AwsirApp, instance_id: str) -> str:
    await wait_for(pilot, lambda: app.case is not None, "case open")
    await open_instance_details(pilot, app, instance_id)
    return await open_volume(pilot, app)


def _timeline_lines(app: AwsirApp) -> list[str]:
    """The table's rows on screen that name a volume (the pane below names one too)."""
    region = app.screen.query_one(TimelineTable).region
    lines = screen_text(app).splitlines()[region.y:region.bottom]
    return [line[region.x:region.right] for line in lines if "vol-" in line]


async def test_a_snapshot_failed_mid_incident_stays_said_and_goes_to_the_case(
    demo: DemoServer,
) -> None:
    instance_id = launch(demo, REGION)
    app = demo_app(demo, allow_actions=True)
    async with app.run_test(size=(80, 24)) as pilot:
        volume_id = await _volume_page(pilot, app, instance_id)
        await pilot.press("F")
        await wait_for(pilot, lambda: confirm_shown(app), "the question")
        # Meanwhile the instance is terminated, its root volume deleted with it.
        demo.client("ec2", REGION).terminate_instances(InstanceIds=[instance_id])
        await pilot.press("Y")
        await wait_for(pilot, lambda: not forensics_running(app), "the call's end")
        failed = _notice(app, "CreateSnapshot failed")
        assert failed is not None and "InvalidVolume.NotFound" in str(failed.message)
        assert failed.timeout >= RESULT_TIMEOUT
        assert app.case is not None
        [action] = app.case.actions()
        assert action.text == (f"forensic CreateSnapshot of {volume_id} in {REGION}: "
                               "FAILED InvalidVolume.NotFound")
        view = await open_view(pilot, app, "timeline")
        assert isinstance(view, TimelineView)
        await wait_for(pilot, lambda: _timeline_lines(app), "the action's row")
        [row] = _timeline_lines(app)
        # The volume whole, first in what; the outcome, its code whole, in sight.
        assert row.split()[2] == volume_id
        assert "InvalidVolume.NotFound" in row.split()
        # The pane says the error code whole.
        assert "CreateSnapshot  InvalidVolume.NotFound  eu-west-1" in screen_text(app)


async def test_two_snapshots_differ_in_the_timeline_at_80_columns(demo: DemoServer) -> None:
    instance_id = launch(demo, REGION)
    ec2 = demo.client("ec2", REGION)
    [reservation] = ec2.describe_instances(InstanceIds=[instance_id])["Reservations"]
    zone = reservation["Instances"][0]["Placement"]["AvailabilityZone"]
    data = ec2.create_volume(AvailabilityZone=zone, Size=8)["VolumeId"]
    ec2.attach_volume(VolumeId=data, InstanceId=instance_id, Device="/dev/sdf")
    app = demo_app(demo, allow_actions=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: app.case is not None, "case open")
        await open_instance_details(pilot, app, instance_id)
        await pilot.press("F")
        while True:
            await wait_for(pilot, lambda: confirm_shown(app) or not forensics_running(app),
                           "a question or the end")
            if not forensics_running(app):
                break
            await pilot.press("Y")
            await pilot.pause()
        assert _notice(app, EVIDENCE_MADE) is not None
        assert app.case is not None
        actions = app.case.actions()
        assert len(actions) == 2 and all(a.outcome == "ok" and a.created for a in actions)
        await open_view(pilot, app, "timeline")
        await wait_for(pilot, lambda: len(_timeline_lines(app)) == 2, "both rows")
        rows = _timeline_lines(app)
        assert rows[0] != rows[1]
        for action in actions:
            [row] = [r for r in rows if action.resource in r]
            assert row.split()[2] == action.resource  # first in what, whole
            assert "ok" in row.split()



async def test_a_volume_gone_before_the_question_is_said_as_long_as_a_result(
    demo: DemoServer,
) -> None:
    """Deleted before F (the plan's read fails): its notice was gone in Textual's 5 s,
    where a call's result stays 30."""
    instance_id = launch(demo, REGION)
    app = demo_app(demo, allow_actions=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await _volume_page(pilot, app, instance_id)
        demo.client("ec2", REGION).terminate_instances(InstanceIds=[instance_id])
        await pilot.press("F")
        await wait_for(pilot, lambda: _notice(app, "forensic snapshot") is not None,
                       "the plan's failure")
        failed = _notice(app, "forensic snapshot")
        assert failed is not None and "InvalidVolume.NotFound" in str(failed.message)
        assert failed.timeout >= RESULT_TIMEOUT
        assert not confirm_shown(app)
