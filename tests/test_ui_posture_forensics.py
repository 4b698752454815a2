"""Forensic snapshots from the UI: read-only says how to allow, otherwise each call is
confirmed in a modal and only a `y` creates anything (real app, real keys, demo HTTP)."""

from __future__ import annotations

from typing import Any

from textual.containers import VerticalScroll
from textual.widgets import Static

from awsir_tui.app import AwsirApp
from awsir_tui.aws.actions import execute, plan_image
from awsir_tui.aws.ec2 import instances
from awsir_tui.ui.dialogs import Confirm
from awsir_tui.ui.ec2_details import InstanceDetailsView
from awsir_tui.ui.forensics import READ_ONLY_MESSAGE
from tests.helpers_app import composed, demo_app, demo_context, screen_text, wait_for
from tests.helpers_ec2 import launch, open_instance_details
from tests.helpers_posture import make_app, notifications
from tests.test_actions_guarded import terminated_instance


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


def record_notices(app: AwsirApp) -> list[str]:
    """Every notice the app is asked to show from now on, in order: a notice replaces
    the one of its title on screen, so those left are not all that was said."""
    said: list[str] = []
    notify = app.notify

    def recording(message: str, **options: Any) -> None:
        said.append(message)
        notify(message, **options)

    app.notify = recording  # type: ignore[method-assign]
    return said


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
        assert READ_ONLY_MESSAGE in " ".join(notifications(app))
        assert not isinstance(app.screen, Confirm)
        # Nothing was sent; what was asked for is on the record (off the UI thread).
        await wait_for(pilot, lambda: any(c.mutating for c in app.ctx.guard.calls),
                       "the refusal journaled")
    assert snapshot_count(demo) == before
    asked = [(c.operation, c.outcome, c.resource, c.error_code)
             for c in app.ctx.guard.calls if c.mutating]
    assert asked == [("CreateSnapshot", "refused", demo.facts.proxy_instance_id,
                      "read-only session")]


async def test_confirm_no_creates_nothing_and_yes_creates_the_snapshot(demo: Any) -> None:
    facts = demo.facts
    before = snapshot_count(demo)
    app = make_app(demo, allow_actions=True, first_view="regions")
    said = record_notices(app)
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
            lambda: sum(m.endswith("(not sent)") for m in said) == refused,
            "every refusal acknowledged",
        )
        assert snapshot_count(demo) == before
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
    assert any(made[0].created in action.text and made[0].resource in action.text
               for action in app.case.actions())


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


def forensics_done(app: AwsirApp) -> bool:
    return not any(w.group == "forensics" and not w.is_finished for w in app.workers)


async def test_a_terminated_instance_is_refused_in_words_with_no_question(demo: Any) -> None:
    """I on a terminated instance asked, and the demo made the image; F said
    "LookupError: ... has no EBS volume to snapshot"."""
    _, instance_id = terminated_instance(demo)
    app = demo_app(demo, allow_actions=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_instance_details(pilot, app, instance_id)
        notices = record_notices(app)  # the first may expire while the second is planned
        for key, reason in (("I", "there is nothing left to image"),
                            ("F", "no volume is attached to it any more")):
            await pilot.press(key)
            await wait_for(pilot, lambda said=reason: forensics_done(app) and any(
                said in m for m in notices), reason)
            assert isinstance(app.screen, InstanceDetailsView)
        said = [m for m in notices if instance_id in m]
        assert said[0] == f"{instance_id} is terminated: there is nothing left to image"
        assert said[1].startswith(
            f"{instance_id} is terminated: no volume is attached to it any more"), said
        assert not any("Error" in m for m in notices)
    assert not any(c.mutating for c in app.ctx.guard.calls)
    assert app.case is not None and not app.case.actions() and not app.case.case.notes


async def test_a_run_of_several_snapshots_ends_with_what_it_made_and_skipped(
    demo: Any,
) -> None:
    """warehouse-01's two volumes, F Y n: the last notice said "skipped CreateSnapshot
    on vol-2: nothing was changed", though vol-1's snapshot had just been made."""
    ec2 = demo.client("ec2", "ap-southeast-2")
    [reservation] = ec2.describe_instances(
        Filters=[{"Name": "tag:Name", "Values": ["warehouse-01"]}])["Reservations"]
    instance_id = reservation["Instances"][0]["InstanceId"]
    app = demo_app(demo, allow_actions=True)
    said = record_notices(app)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_instance_details(pilot, app, instance_id)
        await pilot.press("F")
        for answer in ("Y", "n"):
            await wait_for(pilot, lambda: confirm_shown(app), "a question")
            await pilot.press(answer)
            await pilot.pause()
        await wait_for(pilot, lambda: forensics_done(app), "the run over")
        calls = [c for c in app.ctx.guard.calls if c.mutating]
        assert [c.outcome for c in calls] == ["ok", "declined"]
        made, skipped = calls
        assert f"skipped CreateSnapshot on {skipped.resource} (not sent)" in said
        summary = f"1 of 2 snapshots made: {made.created}; skipped {skipped.resource}"
        assert said[-1] == summary, said
        assert notifications(app)[-1] == summary  # on screen, the last word


async def test_five_earlier_images_are_counted_on_the_80x24_question(demo: Any) -> None:
    """Five images of an instance, then I: the question listed four under "Made before
    from the same source:", the fifth below the box's edge, uncounted."""
    region = demo.facts.proxy_region
    instance_id = launch(demo, region)
    ctx = demo_context(demo, allow_actions=True)
    for _ in range(5):
        execute(ctx, plan_image(ctx, region, instance_id, "case-five"))
    app = demo_app(demo, allow_actions=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_instance_details(pilot, app, instance_id)
        await pilot.press("I")
        await wait_for(pilot, lambda: confirm_shown(app), "the question")
        await pilot.pause()
        # The box's lines: what is between its two sides.
        shown = [" ".join(line.split("█")[1].split())
                 for line in screen_text(app).splitlines() if line.count("█") > 1]
        assert "5 copies made before from the same source, newest first:" in shown, shown
        listed = sum(line.startswith("ami-") for line in shown)
        more = [int(line.split()[0][1:]) for line in shown if line.endswith(" more, older")]
        assert listed + sum(more) == 5 and listed >= 1, shown
        # All of it in the box: nothing left to scroll to.
        assert app.screen.query_one(VerticalScroll).max_scroll_y == 0
        await pilot.press("n")
