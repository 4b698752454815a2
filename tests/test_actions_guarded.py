"""Forensic actions against the demo account over HTTP: refused unless allowed AND
permitted, and when both, the snapshot or image really exists and is journaled."""

from __future__ import annotations

import logging
import re
import socket
import time
from typing import Any

import pytest
from botocore.exceptions import ClientError, EndpointConnectionError

from awsir_tui.aws.actions import (
    TAG_CASE,
    TAG_SOURCE_INSTANCE,
    TAG_SOURCE_VOLUME,
    PlanRefused,
    execute,
    plan_image,
    plan_snapshots,
    plan_volume_snapshot,
)
from awsir_tui.aws.context import PACED, AwsContext, AwsTarget
from awsir_tui.aws.errors import FailureKind, classify
from awsir_tui.aws.guard import ActionRefused
from tests.helpers_app import demo_context


def snapshots_of(demo: Any, region: str, volume: str) -> list[dict[str, Any]]:
    answer = demo.client("ec2", region).describe_snapshots(
        OwnerIds=["self"], Filters=[{"Name": "volume-id", "Values": [volume]}]
    )
    return list(answer["Snapshots"])


def count_requests(ctx: AwsContext, region: str, operation: str) -> list[str]:
    """Every request of ``operation`` that the client actually puts on the wire."""
    sent: list[str] = []
    ctx.client("ec2", region).meta.events.register(
        f"before-send.ec2.{operation}", lambda **_: sent.append(operation)
    )
    return sent


def test_read_only_context_refuses_before_any_request(demo: Any) -> None:
    facts = demo.facts
    ctx = demo_context(demo, allow_actions=False)
    region = facts.proxy_region
    [first, *_] = plan_snapshots(ctx, region, facts.proxy_instance_id, "case-ro")
    before = snapshots_of(demo, region, first.resource)
    sent = count_requests(ctx, region, "CreateSnapshot")
    with pytest.raises(ActionRefused):
        execute(ctx, first)
    assert sent == []
    assert snapshots_of(demo, region, first.resource) == before
    assert not any(call.mutating for call in ctx.guard.calls)


def test_allowed_but_unpermitted_call_is_refused_by_the_guard(demo: Any) -> None:
    facts = demo.facts
    ctx = demo_context(demo, allow_actions=True)
    region = facts.proxy_region
    [first, *_] = plan_snapshots(ctx, region, facts.proxy_instance_id, "case-np")
    before = snapshots_of(demo, region, first.resource)
    sent = count_requests(ctx, region, "CreateSnapshot")
    with pytest.raises(ActionRefused, match="not confirmed"):
        ctx.client("ec2", region).create_snapshot(**first.parameters)
    assert sent == []
    assert snapshots_of(demo, region, first.resource) == before
    [refused] = [c for c in ctx.guard.calls if c.operation == "CreateSnapshot"]
    assert refused.mutating and refused.outcome == "refused"


def test_allowed_and_permitted_snapshot_is_created_tagged_and_journaled(
    demo: Any, caplog: pytest.LogCaptureFixture
) -> None:
    facts = demo.facts
    ctx = demo_context(demo, allow_actions=True)
    region = facts.proxy_region
    plan = plan_snapshots(ctx, region, facts.proxy_instance_id, "case-42")
    assert plan and all(call.operation == "CreateSnapshot" for call in plan)
    volume = plan[0].resource
    before = {s["SnapshotId"] for s in snapshots_of(demo, region, volume)}
    with caplog.at_level(logging.WARNING):
        result = execute(ctx, plan[0])
    [snapshot_id] = result.created
    after = {s["SnapshotId"]: s for s in snapshots_of(demo, region, volume)}
    assert set(after) - before == {snapshot_id}
    created = after[snapshot_id]
    tags = {t["Key"]: t["Value"] for t in created.get("Tags", [])}
    assert tags[TAG_CASE] == "case-42"
    assert tags[TAG_SOURCE_INSTANCE] == facts.proxy_instance_id
    assert "case-42" in created["Description"] and volume in created["Description"]
    [journaled] = [c for c in ctx.guard.calls if c.operation == "CreateSnapshot"]
    assert journaled.mutating and journaled.outcome == "ok" and journaled.region == region
    assert any(
        "CreateSnapshot" in r.getMessage() and r.levelno == logging.WARNING for r in caplog.records
    )
    # Every tag the snapshot got was said in the confirmation, and logged with the call:
    # they label the evidence for anyone who reads EC2, and need ec2:CreateTags.
    [said] = [line for line in plan[0].describe().splitlines() if line.startswith("tags on")]
    logged = " ".join(r.getMessage() for r in caplog.records if "forensic action" in r.getMessage())
    assert tags and "ec2:CreateTags" in said
    for key, value in tags.items():
        assert f"{key}={value}" in said and f"{key}={value}" in logged, (key, said, logged)
    # The instance was only read: nothing stopped it.
    state = demo.client("ec2", region).describe_instances(InstanceIds=[facts.proxy_instance_id])
    assert state["Reservations"][0]["Instances"][0]["State"]["Name"] == "running"


def test_forensic_image_is_made_without_reboot(demo: Any) -> None:
    facts = demo.facts
    ctx = demo_context(demo, allow_actions=True)
    region = facts.proxy_region
    call = plan_image(ctx, region, facts.proxy_instance_id, "case-img")
    assert call.operation == "CreateImage" and call.parameters["NoReboot"] is True
    assert "CreateImage in " + region in call.describe()
    [image_id] = execute(ctx, call).created
    [image] = demo.client("ec2", region).describe_images(ImageIds=[image_id])["Images"]
    tags = {t["Key"]: t["Value"] for t in image.get("Tags", [])}
    assert tags[TAG_CASE] == "case-img"
    assert [c.operation for c in ctx.guard.calls if c.mutating] == ["CreateImage"]


def test_a_volume_attached_to_no_instance_is_snapshot_by_itself(demo: Any) -> None:
    """A volume detached (by the attacker, or left over) is evidence too: its snapshot
    names the volume alone, and a second plan names the first copy. Planning it went
    through an instance, and there was none."""
    facts = demo.facts
    ctx = demo_context(demo, allow_actions=True)
    region = facts.proxy_region
    [detached] = demo.client("ec2", region).describe_volumes(Filters=[  # the demo's own:
        {"Name": "status", "Values": ["available"]},  # other tests detach theirs
        {"Name": "tag:Name", "Values": ["restore-test-do-not-delete"]}])["Volumes"]
    volume = detached["VolumeId"]
    [call] = plan_volume_snapshot(ctx, region, volume, "case-loose")
    assert (call.operation, call.resource) == ("CreateSnapshot", volume)
    assert "attached to no instance" in call.describe()
    [snapshot_id] = execute(ctx, call).created
    [made] = [s for s in snapshots_of(demo, region, volume) if s["SnapshotId"] == snapshot_id]
    tags = {t["Key"]: t["Value"] for t in made.get("Tags", [])}
    assert tags[TAG_SOURCE_VOLUME] == volume and tags[TAG_CASE] == "case-loose"
    assert TAG_SOURCE_INSTANCE not in tags
    [again] = plan_volume_snapshot(ctx, region, volume, "case-loose")
    assert any(line.startswith(f"{snapshot_id} of {volume}") for line in again.earlier)
    # An attached volume's plan is its instance's call for it: instance and device named.
    [attached, *_] = plan_snapshots(ctx, region, facts.proxy_instance_id, "case-loose")
    [planned] = plan_volume_snapshot(ctx, region, attached.resource, "case-loose")
    # (Not the whole call: its earlier copies are the instance's, which tests running
    # beside this one make.)
    assert (planned.resource, planned.summary, planned.parameters) == (
        attached.resource, attached.summary, attached.parameters)
    with pytest.raises(ClientError, match="vol-00000000000000000"):
        plan_volume_snapshot(ctx, region, "vol-00000000000000000", "case-loose")


def test_planning_an_unknown_instance_says_so(demo: Any) -> None:
    ctx = demo_context(demo, allow_actions=True)
    with pytest.raises(ClientError, match="i-00000000000000000"):
        plan_snapshots(ctx, demo.regions[0], "i-00000000000000000", "case")
    assert not any(call.mutating for call in ctx.guard.calls)


def test_a_dropped_connection_keeps_its_kind_and_is_journaled() -> None:
    """The guard's error hook must not replace the real error (it once raised TypeError)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    ctx = AwsContext(AwsTarget(regions=("us-east-1",), endpoint_url=f"http://127.0.0.1:{port}"))
    with pytest.raises(EndpointConnectionError) as raised:
        ctx.client("ec2", "us-east-1", PACED).describe_vpcs()
    assert classify(raised.value).kind is FailureKind.UNREACHABLE
    [call] = ctx.guard.calls
    assert (call.operation, call.outcome, call.error_code) == (
        "DescribeVpcs",
        "error",
        "EndpointConnectionError",
    )


def test_a_second_copy_of_the_same_source_names_the_first_in_its_confirmation(
    demo: Any,
) -> None:
    """A responder who presses the snapshot key twice is told, before saying yes, that
    this volume was snapshotted already (which snapshot, when, for which case); the same
    for a second image of an instance."""
    facts = demo.facts
    ctx = demo_context(demo, allow_actions=True)
    region = facts.proxy_region
    first = plan_snapshots(ctx, region, facts.proxy_instance_id, "case-twice")[0]
    [snapshot_id] = execute(ctx, first).created
    again = plan_snapshots(ctx, region, facts.proxy_instance_id, "case-twice")[0]
    assert again.resource == first.resource
    assert any(
        line.startswith(snapshot_id) and "case case-twice" in line for line in again.earlier
    )
    shown = again.describe()  # the demo is shared: other tests' copies may be listed too
    assert re.search(r"\n\d+ cop(y|ies) made before from the same source, newest first:\n",
                     shown), shown
    assert f"\n  {snapshot_id} of {first.resource} made " in shown
    image = plan_image(ctx, region, facts.proxy_instance_id, "case-twice")
    assert any(line.startswith(snapshot_id) for line in image.earlier)  # its disk's copy
    [image_id] = execute(ctx, image).created
    image_again = plan_image(ctx, region, facts.proxy_instance_id, "case-twice")
    assert any(line.startswith(f"{image_id} (image)") for line in image_again.earlier)
    snapshot_after_image = plan_snapshots(ctx, region, facts.proxy_instance_id, "case-twice")[0]
    assert any(line.startswith(image_id) for line in snapshot_after_image.earlier)
    # Newest first, whatever the kind: a snapshot made after the image comes before it
    # (a second later: EC2 dates copies to the second).
    time.sleep(1.1)
    [newest] = execute(ctx, snapshot_after_image).created
    latest = plan_image(ctx, region, facts.proxy_instance_id, "case-twice").earlier
    assert latest[0].startswith(newest), latest
    assert [line.split()[0] for line in latest].index(image_id) > 0
    # Both say when in the same words (an image's date comes as ISO text).
    assert re.search(r" made \d{4}-\d\d-\d\d \d\d:\d\d UTC, ", image_again.earlier[0])
    assert re.search(r" made \d{4}-\d\d-\d\d \d\d:\d\d UTC, ", again.earlier[0])


def terminated_instance(demo: Any) -> tuple[str, str]:
    """A terminated instance of the demo account: (region, ID)."""
    for region in demo.regions:
        answer = demo.client("ec2", region).describe_instances(
            Filters=[{"Name": "instance-state-name", "Values": ["terminated"]}])
        for reservation in answer["Reservations"]:
            return region, str(reservation["Instances"][0]["InstanceId"])
    raise AssertionError("the demo has no terminated instance")


def test_a_terminated_instance_is_refused_in_words_before_any_question(demo: Any) -> None:
    """The demo accepted CreateImage of a terminated instance (AWS does not), and the
    case then claimed a forensic image of a dead instance; F on it said "LookupError:
    ... has no EBS volume", not why."""
    region, instance_id = terminated_instance(demo)
    ctx = demo_context(demo, allow_actions=True)
    with pytest.raises(PlanRefused) as image:
        plan_image(ctx, region, instance_id, "case-dead")
    assert str(image.value) == f"{instance_id} is terminated: there is nothing left to image"
    with pytest.raises(PlanRefused) as snapshots:
        plan_snapshots(ctx, region, instance_id, "case-dead")
    assert str(snapshots.value).startswith(
        f"{instance_id} is terminated: no volume is attached to it any more")
    assert not any(call.mutating for call in ctx.guard.calls)


def test_the_copies_made_before_are_counted_first_and_a_cut_list_says_how_many_more(
    demo: Any,
) -> None:
    """Five images of one instance: the confirmation said "Made before from the same
    source:" and listed them, and at 80x24 the oldest were below the box's edge."""
    facts = demo.facts
    region = facts.proxy_region
    ec2 = demo.client("ec2", region)
    image = ec2.describe_instances()["Reservations"][0]["Instances"][0]["ImageId"]
    instance_id = ec2.run_instances(ImageId=image, MinCount=1, MaxCount=1,
                                    InstanceType="t3.micro")["Instances"][0]["InstanceId"]
    ctx = demo_context(demo, allow_actions=True)
    made = [execute(ctx, plan_image(ctx, region, instance_id, "case-five")).created[0]
            for _ in range(5)]
    call = plan_image(ctx, region, instance_id, "case-five")
    lines = call.describe().splitlines()
    start = lines.index("5 copies made before from the same source, newest first:")
    assert sorted(line.split()[0] for line in lines[start + 1:]) == sorted(made)
    cut = call.describe(most=3).splitlines()
    assert cut[start:] == [cut[start], *[f"  {line}" for line in call.earlier[:2]],
                           "  +3 more, older"]
