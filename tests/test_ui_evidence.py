"""`:evidence` at 80x24 on the demo account, through real keys: F on the malicious
instance's page, Y, then the view shows the new snapshot and its state; r reads again,
Enter shows an image's snapshots, y copies the ID, ? opens help; a pending copy is read
again by itself while the view is on screen, no longer once it is left, and at once
when it is back."""

from __future__ import annotations

import re
from typing import Any

import pytest
from rich.text import Text

from awsir_tui.app import AwsirApp
from awsir_tui.aws.evidence import Copy, Disk, still_pending
from awsir_tui.ui import evidence
from awsir_tui.ui.dialogs import HelpScreen
from awsir_tui.ui.evidence import (
    FAILED,
    PENDING,
    EvidenceView,
    details_text,
    follows,
    state_style,
)
from awsir_tui.ui.forensics import case_name
from awsir_tui.ui.registry import resolve
from tests.helpers_app import composed, demo_app, open_view, screen_text, wait_for
from tests.helpers_evidence import made, snapshot_with_f, still_copying
from tests.helpers_posture import notifications

FOLLOWING = "reading again every"


def line_of(app: AwsirApp, copy_id: str) -> str:
    """The screen line that shows ``copy_id`` ('' if none does)."""
    return next((line for line in screen_text(app).splitlines() if copy_id in line), "")


def region_of(demo: Any, instance_id: str) -> str:
    return next(region for region in demo.regions if demo.client("ec2", region)
                .describe_instances(Filters=[{"Name": "instance-id", "Values": [instance_id]}])
                ["Reservations"])


async def test_a_snapshot_made_with_f_is_followed_in_evidence(demo: Any) -> None:
    malicious = demo.facts.malicious_instance_id
    app = demo_app(demo, allow_actions=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: app.case is not None, "case open")
        snapshot = await snapshot_with_f(pilot, app, malicious)
        notice = next(m for m in notifications(app) if f"created {snapshot}" in m)
        assert notice.endswith("; :evidence follows its state")

        view = await open_view(pilot, app, "evidence")
        assert isinstance(view, EvidenceView)
        await wait_for(pilot, lambda: "completed" in line_of(app, snapshot), "the snapshot")
        assert "regions answered" in screen_text(app) and FOLLOWING not in screen_text(app)
        # When it was made, whole at 80 columns (the case's name pushed it to "12-0").
        assert re.search(r"completed +\d\d-\d\d \d\d:\d\d ", line_of(app, snapshot))

        # r reads again: an image made since (of this case: first) shows.
        _, again, image = made(demo, case_name(app), malicious, region_of(demo, malicious))
        await pilot.press("r")
        await wait_for(pilot, lambda: "available" in line_of(app, image), "the new image")
        assert again in screen_text(app)

        # Enter on the image: its block-device snapshots and their states.
        row = [c.copy_id for c in view.rows].index(image)
        await pilot.press("g", *(["j"] * row), "enter")
        disks = view.rows[row].disks
        assert disks
        await wait_for(pilot, lambda: all(f"{d.snapshot_id} completed" in screen_text(app)
                                          for d in disks), "the image's snapshots")
        await pilot.press("y")
        await wait_for(pilot, lambda: app.clipboard == image, "the ID copied")

        await pilot.press("question_mark")
        await wait_for(pilot, lambda: composed(app, HelpScreen, "*") is not None, "help")
        await wait_for(pilot, lambda: "[evidence.details]" in screen_text(app), "its keys")


def reading(app: AwsirApp) -> bool:
    return any(w.group == "evidence" and not w.is_finished for w in app.workers)


async def test_a_pending_copy_is_read_again_while_on_screen_only(
    demo: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Followed every 0.3 s here (15 s in use): the reads by themselves, their end, none
    once the view is left, and one at once when it is back."""
    monkeypatch.setattr(evidence, "FOLLOW_EVERY", 0.3)
    following = "reading again every 0.3 s"
    region = demo.facts.proxy_region
    _, snapshot, image = made(demo, "case-follow")
    app = demo_app(demo, first_view="evidence")
    async with app.run_test(size=(80, 24)) as pilot:
        with still_copying(demo, region, snapshot, image, monkeypatch):
            await wait_for(pilot, lambda: isinstance(app.screen, EvidenceView), ":evidence")
            await wait_for(pilot, lambda: "pending 42%" in line_of(app, snapshot), "pending")
            await wait_for(pilot, lambda: following in screen_text(app), "said to follow")
        # Completed in EC2: the next read by itself shows it, and stops following.
        await wait_for(pilot, lambda: "completed" in line_of(app, snapshot), "read again")
        await wait_for(pilot, lambda: following not in screen_text(app), "stops following")
        view = app.screen
        assert isinstance(view, EvidenceView) and not follows(view.rows, True)

        with still_copying(demo, region, snapshot, image, monkeypatch):
            await pilot.press("r")
            await wait_for(pilot, lambda: view.following, "following again")
            assert following in screen_text(app)
            await open_view(pilot, app, "regions")
            await wait_for(pilot, lambda: not view.following and not reading(app),
                           "no read by itself once left")
        # Completed while the view was away: it still shows the copy pending, and
        # reads again as soon as it is back.
        assert still_pending(view.rows)
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is view, "back to :evidence")
        await wait_for(pilot, lambda: "completed" in line_of(app, snapshot), "read on return")


def test_only_a_pending_copy_on_screen_is_followed() -> None:
    def copy(kind: str, state: str) -> Copy:
        return Copy(kind, f"{kind}-1", "eu-west-1", state)

    for kind, state in [("snapshot", "pending"), ("image", "pending")]:
        assert follows([copy("snapshot", "completed"), copy(kind, state)], on_screen=True)
        assert not follows([copy(kind, state)], on_screen=False)
    for kind, state in [("snapshot", "completed"), ("snapshot", "error"),
                        ("image", "available"), ("image", "failed")]:
        assert not follows([copy(kind, state)], on_screen=True)
    assert state_style(copy("snapshot", "error")) == state_style(copy("image", "failed"))
    assert "red" in state_style(copy("image", "failed"))
    assert state_style(copy("snapshot", "pending")) != state_style(copy("snapshot", "completed"))


def style_of(text: Text, word: str) -> str:
    """The style of the span of ``text`` that spells ``word``."""
    return next(str(span.style) for span in text.spans
                if text.plain[span.start:span.end] == word)


def test_an_images_snapshot_not_listed_is_unknown_while_it_is_pending() -> None:
    """EC2 lists an image's block-device snapshots as it makes them: one not found
    while the image is pending is not yet known (not red); once the image is available
    it is missing, and red."""
    disk = Disk("/dev/xvda", "snap-1")
    image = Copy("image", "ami-1", "eu-west-1", "pending", instance="i-1", disks=(disk,))
    pending = details_text(image, full=True)
    assert "snap-1 not listed yet" in pending.plain
    assert style_of(pending, "not listed yet") == PENDING
    done = details_text(Copy("image", "ami-1", "eu-west-1", "available", disks=(disk,)),
                        full=True)
    assert style_of(done, "not found") == FAILED
    assert pending.plain.startswith("image ami-1 copies i-1 image in eu-west-1;")


def test_evidence_is_typed_by_a_start_no_other_view_shares() -> None:
    """`:evi` (or an alias) opens it; `:e`, `:ev` and `:eve` are still the events,
    which they opened before :evidence came (registry.FIRST_LETTERS)."""
    assert resolve("evi") == resolve(":copies") == resolve("forensics") == "evidence"
    assert resolve("eve") == resolve("ev") == resolve("e") == "events"


async def test_a_copy_made_since_the_last_read_is_read_on_return(demo: Any) -> None:
    """`:` brings :evidence back as it was (a switch never reads again); but the notice
    of a copy made with F says :evidence follows it: it is read on return, no r."""
    malicious = demo.facts.malicious_instance_id
    app = demo_app(demo, allow_actions=True, first_view="evidence")
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, EvidenceView), ":evidence")
        view = app.screen
        assert isinstance(view, EvidenceView)
        await wait_for(pilot, lambda: not view.waiting, "every region read")
        await open_view(pilot, app, "instances")
        snapshot = await snapshot_with_f(pilot, app, malicious)
        assert snapshot not in [c.copy_id for c in view.rows]
        await open_view(pilot, app, "evidence")
        await wait_for(pilot, lambda: "completed" in line_of(app, snapshot), "the snapshot")
        assert app.screen is view
