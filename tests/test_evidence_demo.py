"""`:evidence`'s data layer against the demo account over HTTP: the copies F and I made
are found by their tags in every region, with their state; a pending one reads as
pending (with its progress); a denied region is named and the others still answer; a
region where one read is denied keeps what the other gave, the failed read named."""

from __future__ import annotations

from typing import Any

import pytest

from awsir_tui.aws.actions import TAG_CASE
from awsir_tui.aws.context import AwsContext
from awsir_tui.aws.errors import FailureKind
from awsir_tui.aws.evidence import (
    UNREAD,
    Copy,
    RegionCopies,
    region_copies,
    scan_evidence,
    still_pending,
)
from awsir_tui.aws.fanout import RegionOutcome
from tests.helpers_evidence import made, still_copying


async def scan(ctx: AwsContext, regions: tuple[str, ...]
               ) -> dict[str, RegionOutcome[RegionCopies]]:
    return {outcome.region: outcome async for outcome in scan_evidence(ctx, regions)}


def by_id(answer: RegionCopies | None) -> dict[str, Copy]:
    return {copy.copy_id: copy for copy in answer.copies} if answer else {}


async def test_copies_made_are_found_by_their_tags_with_state_and_source(demo: Any) -> None:
    facts = demo.facts
    ctx, snapshot_id, image_id = made(demo, "case-evidence")
    sent = len(ctx.guard.calls)
    outcomes = await scan(ctx, tuple(demo.regions))
    assert all(outcome.ok for outcome in outcomes.values())
    found = by_id(outcomes[facts.proxy_region].value)
    snapshot, image = found[snapshot_id], found[image_id]
    assert (snapshot.kind, snapshot.state_word, snapshot.region, snapshot.case) == (
        "snapshot", "completed", facts.proxy_region, "case-evidence")
    assert snapshot.instance == facts.proxy_instance_id and snapshot.device.startswith("/dev/")
    assert snapshot.volume.startswith("vol-") and snapshot.made is not None
    assert snapshot.source == f"{facts.proxy_instance_id} {snapshot.device}"
    assert not snapshot.pending and not snapshot.failed
    assert (image.kind, image.state_word, image.instance) == (
        "image", "available", facts.proxy_instance_id)
    # An image's own snapshots carry no tag: read by their IDs, each with its state.
    assert image.disks and all(d.snapshot_id.startswith("snap-") and d.state == "completed"
                               for d in image.disks)
    assert not {d.snapshot_id for d in image.disks} & set(found)
    # The listing only reads.
    assert not any(call.mutating for call in ctx.guard.calls[sent:])


async def test_a_pending_copy_reads_as_pending_with_its_progress(
    demo: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    region = demo.facts.proxy_region
    ctx, snapshot_id, image_id = made(demo, "case-pending")
    with still_copying(demo, region, snapshot_id, image_id, monkeypatch):
        found = by_id(region_copies(ctx, region))
    snapshot, image = found[snapshot_id], found[image_id]
    assert snapshot.pending and snapshot.state_word == "pending 42%"
    assert image.pending and image.state_word == "pending"
    assert still_pending(found.values())
    assert not still_pending(c for c in found.values() if c.copy_id not in (snapshot_id, image_id))


async def test_a_hostile_case_tag_is_cleaned(demo: Any) -> None:
    region = demo.facts.proxy_region
    ctx, snapshot_id, _ = made(demo, "case-hostile")
    demo.client("ec2", region).create_tags(
        Resources=[snapshot_id],
        Tags=[{"Key": TAG_CASE, "Value": demo.facts.hostile_tag_value + "\u202e"}])
    case = by_id(region_copies(ctx, region))[snapshot_id].case
    # EC2's XML carries no control character; one that turns the text round, it does.
    assert case.startswith(demo.facts.hostile_tag_value) and "\u202e" not in case


async def test_a_denied_region_is_named_and_the_others_still_answer(demo: Any) -> None:
    region = demo.facts.proxy_region
    ctx, snapshot_id, _ = made(demo, "case-denied")
    denied = next(r for r in demo.regions if r != region)
    with demo.denying(denied):
        outcomes = await scan(ctx, tuple(demo.regions))
    failure = outcomes[denied].failure
    assert failure is not None and failure.kind is FailureKind.DENIED
    assert snapshot_id in by_id(outcomes[region].value)
    assert all(outcome.ok for r, outcome in outcomes.items() if r != denied)


async def test_a_read_denied_in_a_region_keeps_what_the_other_read_gave(demo: Any) -> None:
    region = demo.facts.proxy_region
    ctx, snapshot_id, image_id = made(demo, "case-half-denied")
    with demo.denying_call(region, "DescribeImages"):
        outcomes = await scan(ctx, tuple(demo.regions))
    answer = outcomes[region].value
    assert outcomes[region].ok and answer is not None
    assert snapshot_id in by_id(answer) and image_id not in by_id(answer)
    [failed] = answer.failed
    assert (failed.read, failed.lost, failed.failure.kind, failed.failure.code) == (
        "DescribeImages", "image", FailureKind.DENIED, "UnauthorizedOperation")
    assert str(failed) == "DescribeImages denied (UnauthorizedOperation)"
    assert all(outcome.value and not outcome.value.failed
               for r, outcome in outcomes.items() if r != region)


async def test_snapshots_denied_keep_the_images_their_disks_not_read(demo: Any) -> None:
    region = demo.facts.proxy_region
    ctx, snapshot_id, image_id = made(demo, "case-snapshots-denied")
    with demo.denying_call(region, "DescribeSnapshots"):
        answer = region_copies(ctx, region)
    found = by_id(answer)
    assert image_id in found and snapshot_id not in found
    assert found[image_id].disks and all(d.state == UNREAD for d in found[image_id].disks)
    assert [(f.read, f.lost) for f in answer.failed] == [("DescribeSnapshots", "snapshot")]


async def test_both_reads_denied_fail_the_region(demo: Any) -> None:
    region = demo.facts.proxy_region
    ctx, _, _ = made(demo, "case-both-denied")
    with demo.denying_call(region, "DescribeSnapshots"), \
            demo.denying_call(region, "DescribeImages"):
        outcomes = await scan(ctx, (region,))
    failure = outcomes[region].failure
    assert failure is not None and failure.code == "UnauthorizedOperation"
