"""The question of a forensic action at 80x24 (Pilot, real keys, the demo account over
HTTP): it names the account and the caller the change goes to, and of the copies made
before it lists at least the newest, whatever the room."""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot

from awsir_tui.app import AwsirApp
from awsir_tui.aws.actions import execute, plan_snapshots
from awsir_tui.demo.server import DemoServer
from tests.helpers_app import demo_app, demo_context, screen_text, wait_for
from tests.helpers_ec2 import launch, open_instance_details
from tests.test_ui_posture_forensics import confirm_shown


def box_lines(app: Any) -> list[str]:
    """The Confirm box's lines: what is between its two sides, runs of spaces made one."""
    return [" ".join(line.split("\u2588")[1].split())
            for line in screen_text(app).splitlines() if line.count("\u2588") > 1]


async def asked_to_snapshot(pilot: Pilot[int], app: AwsirApp, instance_id: str) -> list[str]:
    """F on ``instance_id``'s page: the question's lines as the box shows them first."""
    await open_instance_details(pilot, app, instance_id)
    await wait_for(pilot, lambda: app.identity is not None, "the caller identity")
    await pilot.press("F")
    await wait_for(pilot, lambda: confirm_shown(app), "the question")
    await pilot.pause()
    return box_lines(app)


async def test_the_question_names_the_account_and_the_caller(demo: DemoServer) -> None:
    """It said "This changes the AWS account." and the region, never which account: a
    responder with several profiles open must see where the change goes."""
    app = demo_app(demo, allow_actions=True)
    async with app.run_test(size=(80, 24)) as pilot:
        shown = await asked_to_snapshot(pilot, app, launch(demo, demo.facts.proxy_region))
        assert app.identity is not None
        account, arn = app.identity.account, app.identity.arn
        assert any(line.startswith(f"in account {account} as") for line in shown), shown
        assert arn in "".join(shown).replace(" ", ""), shown  # wrapped, never cut
        await pilot.press("n")


async def test_two_copies_made_before_name_the_newest(demo: DemoServer) -> None:
    """Two snapshots made before, the question cut to what fits at 80x24: it said "2
    copies made before" then "+2 more, older", and named none."""
    region = demo.facts.proxy_region
    instance_id = launch(demo, region)
    ctx = demo_context(demo, allow_actions=True)
    made = [execute(ctx, call).created[0]
            for _ in range(2) for call in plan_snapshots(ctx, region, instance_id, "case-2")]
    app = demo_app(demo, allow_actions=True)
    async with app.run_test(size=(80, 24)) as pilot:
        shown = await asked_to_snapshot(pilot, app, instance_id)
        start = shown.index("2 copies made before from the same source, newest first:")
        # A copy named (the newest: these two were made in the same second).
        assert shown[start + 1].split()[0] in made, shown
        # The older one counted, at the question's end when the question scrolls.
        await pilot.press("end")
        await pilot.pause()
        assert "+1 more, older" in box_lines(app), box_lines(app)
        await pilot.press("n")
