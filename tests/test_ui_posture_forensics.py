"""Forensic snapshots from the UI: read-only says how to allow, otherwise each call is
confirmed in a modal and only a `y` creates anything (real app, real keys, demo HTTP)."""

from __future__ import annotations

from typing import Any

from textual.widgets import Static

from awsir_tui.app import AwsirApp
from awsir_tui.aws.ec2 import instances
from awsir_tui.ui.dialogs import Confirm
from awsir_tui.ui.ec2_details import InstanceDetailsView
from awsir_tui.ui.forensics import READ_ONLY_MESSAGE
from tests.helpers_app import composed, screen_text, wait_for
from tests.helpers_posture import make_app, notifications


async def open_proxy_details(app: AwsirApp, demo: Any, pilot: Any) -> None:
    """The proxy's instance details view, where a responder presses F."""
    facts = demo.facts
    found = instances(app.ctx, facts.proxy_region)
    proxy = next(i for i in found if i["InstanceId"] == facts.proxy_instance_id)
    await wait_for(pilot, lambda: app.screen_stack[-1] is not app.screen_stack[0], "first view")
    app.push_screen(InstanceDetailsView(proxy))
    await wait_for(pilot, lambda: isinstance(app.screen, InstanceDetailsView), "details view")


def confirm_shown(app: AwsirApp) -> bool:
    """A Confirm on top with its question and answers composed (a screen is on top a
    moment before its widgets are)."""
    return composed(app, Confirm, "#no") is not None


def snapshot_count(demo: Any) -> int:
    facts = demo.facts
    ec2 = demo.client("ec2", facts.proxy_region)
    answer = ec2.describe_snapshots(
        OwnerIds=["self"],
        Filters=[{"Name": "tag:awsir:source-instance", "Values": [facts.proxy_instance_id]}],
    )
    return len(answer["Snapshots"])


async def test_read_only_app_explains_and_creates_nothing(demo: Any) -> None:
    before = snapshot_count(demo)
    app = make_app(demo, allow_actions=False, first_view="regions")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_proxy_details(app, demo, pilot)
        await pilot.press("F")
        await pilot.pause()
        assert READ_ONLY_MESSAGE in notifications(app)
        assert not isinstance(app.screen, Confirm)
    assert snapshot_count(demo) == before
    # Nothing was sent; what was asked for is on the record, refused.
    asked = [(c.operation, c.outcome, c.resource, c.error_code)
             for c in app.ctx.guard.calls if c.mutating]
    assert asked == [("CreateSnapshot", "refused", demo.facts.proxy_instance_id,
                      "read-only session")]


async def test_confirm_no_creates_nothing_and_yes_creates_the_snapshot(demo: Any) -> None:
    facts = demo.facts
    before = snapshot_count(demo)
    app = make_app(demo, allow_actions=True, first_view="regions")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_proxy_details(app, demo, pilot)
        # F twice before the first's question is up (a fast typist over SSH): one run.
        details = app.screen
        assert isinstance(details, InstanceDetailsView)
        details.action_snapshot()
        details.action_snapshot()
        await wait_for(pilot, lambda: any("already running or waiting" in m
                                          for m in notifications(app)), "the second refused")
        await wait_for(pilot, lambda: confirm_shown(app), "the confirmation")
        question = str(app.screen.query(Static).first().render())
        assert "ec2:CreateSnapshot in " + facts.proxy_region in question
        assert "vol-" in question and facts.proxy_instance_id in question
        refused = 0
        while isinstance(app.screen, Confirm):  # one modal per volume: say no to each
            await pilot.press("n")
            refused += 1
            await pilot.pause()
        await wait_for(
            pilot,
            lambda: sum("nothing was changed" in m for m in notifications(app)) == refused,
            "every refusal acknowledged",
        )
        assert snapshot_count(demo) == before
        assert any("nothing was changed" in m for m in notifications(app))
        declined = [c for c in app.ctx.guard.calls if c.mutating]
        assert len(declined) == refused
        assert all(c.outcome == "declined" and c.resource.startswith("vol-") for c in declined)

        await pilot.press("F")
        await wait_for(pilot, lambda: confirm_shown(app), "the confirmation")
        await pilot.press("y")  # Yank's key, typed out of habit: no answer
        await wait_for(pilot, lambda: "y is not an answer" in screen_text(app), "the hint")
        assert snapshot_count(demo) == before and isinstance(app.screen, Confirm)
        await pilot.press("Y")
        await wait_for(pilot, lambda: snapshot_count(demo) == before + 1, "the snapshot")
        await wait_for(
            pilot, lambda: any("created snap-" in m for m in notifications(app)), "the result shown"
        )
        while isinstance(app.screen, Confirm):
            await pilot.press("n")
            await pilot.pause()
    made = [c for c in app.ctx.guard.calls if c.mutating and c.outcome != "declined"]
    assert [(c.operation, c.outcome) for c in made] == [("CreateSnapshot", "ok")]
    # The record says what the change acted on and made; the case's report too.
    assert made[0].resource.startswith("vol-") and made[0].created.startswith("snap-")
    assert app.case is not None
    assert any(made[0].created in note.text and made[0].resource in note.text
               for note in app.case.case.notes)


async def test_image_key_confirms_a_no_reboot_image_and_leaves_the_instance_running(
    demo: Any,
) -> None:
    facts = demo.facts
    ec2 = demo.client("ec2", facts.proxy_region)
    mine = [{"Name": "tag:awsir:source-instance", "Values": [facts.proxy_instance_id]}]
    before = {i["ImageId"] for i in ec2.describe_images(Owners=["self"], Filters=mine)["Images"]}
    app = make_app(demo, allow_actions=True, first_view="regions")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_proxy_details(app, demo, pilot)
        await pilot.press("I")
        await wait_for(pilot, lambda: confirm_shown(app), "the confirmation")
        question = str(app.screen.query(Static).first().render())
        assert "ec2:CreateImage in " + facts.proxy_region in question
        assert "NoReboot: True" in question and facts.proxy_instance_id in question
        await pilot.press("Y")
        await wait_for(
            pilot, lambda: any("created ami-" in m for m in notifications(app)), "the result"
        )
    after = {i["ImageId"] for i in ec2.describe_images(Owners=["self"], Filters=mine)["Images"]}
    assert len(after - before) == 1
    state = ec2.describe_instances(InstanceIds=[facts.proxy_instance_id])
    assert state["Reservations"][0]["Instances"][0]["State"]["Name"] == "running"
