"""F on an instance's page and F on its volume's page make one kind of evidence, and
their notes share one title, so the newest replaces the older (QA, #2): titled
"forensic snapshots" and "forensic snapshot", the instance's run stayed on screen
beside the volume's, at 80x24 two notes where one says all there is to know."""

from __future__ import annotations

from textual.pilot import Pilot

from awsir_tui.app import AwsirApp
from awsir_tui.demo.server import DemoServer
from awsir_tui.ui.dialogs import Confirm
from tests.helpers_app import demo_app, wait_for
from tests.helpers_ec2 import open_edge_proxy
from tests.test_ui_ec2_detail_volume import open_volume
from tests.test_ui_posture_forensics import confirm_shown


def forensics_running(app: AwsirApp) -> bool:
    return any(w.group == "forensics" and not w.is_finished for w in app.workers)


async def decline_all(pilot: Pilot[int], app: AwsirApp) -> None:
    """F, then no to every question, until the run is over."""
    await pilot.press("F")
    await wait_for(pilot, lambda: confirm_shown(app), "the first question")
    while forensics_running(app):
        if isinstance(app.screen, Confirm) and confirm_shown(app):
            await pilot.press("n")
        await pilot.pause(0.05)


def forensic_notes(app: AwsirApp) -> list[str]:
    """The notes on screen about a snapshot run."""
    return [str(note.message) for note in app._notifications
            if "CreateSnapshot" in str(note.message) or "snapshots made" in str(note.message)]


async def test_a_volumes_snapshot_note_replaces_its_instances(demo: DemoServer) -> None:
    app = demo_app(demo, allow_actions=True)
    # Notes stay until replaced, however slow the machine: a note that timed out would
    # pass for one replaced.
    app.NOTIFICATION_TIMEOUT = 3600  # type: ignore[misc]
    async with app.run_test(size=(80, 24)) as pilot:
        await open_edge_proxy(pilot, app)
        await decline_all(pilot, app)
        await wait_for(pilot, lambda: forensic_notes(app), "the instance's run said")
        volume_id = await open_volume(pilot, app)
        await decline_all(pilot, app)
        said = f"skipped CreateSnapshot on {volume_id} (not sent)"
        await wait_for(pilot, lambda: forensic_notes(app)[-1:] == [said], "the volume's")
        assert forensic_notes(app) == [said]
        assert not any(c.mutating and c.outcome == "ok" for c in app.ctx.guard.calls)
