"""The forensic copies this tool made (`:evidence`), and how far each has got.

A snapshot stays "pending" for minutes after F, an AMI after I too; before evidence is
handed over, or anyone terminates the instance, the responder must know that every copy
completed (or failed). The copies are found by the tags :mod:`awsir_tui.aws.actions`
puts on them (any case's, any session's: the notification of the one just made is gone
in 30 s), in every region asked, each region's answer or failure kept apart
(:func:`~awsir_tui.aws.fanout.fan_out`), and within a region each read's: a role denied
DescribeImages still lists its snapshots. Every string here is from the account, and
whoever holds ec2:CreateTags can write it: cleaned, for the UI to show as plain text.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial
from typing import Any

from awsir_tui.aws.actions import (
    CREATED_BY,
    TAG_CASE,
    TAG_CREATED_BY,
    TAG_DEVICE,
    TAG_SOURCE_INSTANCE,
    TAG_SOURCE_VOLUME,
)
from awsir_tui.aws.context import AwsContext
from awsir_tui.aws.errors import Failure, classify
from awsir_tui.aws.fanout import RegionOutcome, fan_out
from awsir_tui.query.times import to_datetime
from awsir_tui.text import clean

#: A snapshot's or an image's state while EC2 is still copying.
PENDING = "pending"
#: States of a copy that will never complete (snapshot: error; image: failed, invalid).
FAILED_STATES = frozenset({"error", "failed", "invalid"})
#: States of a copy that is whole (snapshot: completed; image: available).
DONE_STATES = frozenset({"completed", "available"})
#: An image's snapshot's state when the read of the states failed: neither found nor
#: missing.
UNREAD = "not read"


@dataclass(frozen=True, slots=True)
class Disk:
    """One block device of an image: the snapshot EC2 made of it, and that snapshot's
    state ('' when the snapshot was not found among the account's, :data:`UNREAD`
    when the read of the states failed)."""

    device: str
    snapshot_id: str
    state: str = ""


@dataclass(frozen=True, slots=True)
class Copy:
    """One forensic copy: a snapshot (``kind`` ``snapshot``) or an AMI (``image``)."""

    kind: str
    copy_id: str
    region: str
    state: str
    #: A snapshot's progress as EC2 says it (``42%``); '' for an image.
    progress: str = ""
    made: datetime | None = None
    case: str = ""
    instance: str = ""
    volume: str = ""
    device: str = ""
    description: str = ""
    #: Why EC2 says it failed (a snapshot's StateMessage, an image's StateReason).
    reason: str = ""
    disks: tuple[Disk, ...] = ()

    @property
    def pending(self) -> bool:
        return self.state == PENDING

    @property
    def failed(self) -> bool:
        return self.state in FAILED_STATES

    @property
    def state_word(self) -> str:
        """``pending 42%``, ``completed``, ``error``; an image's state as it is."""
        if self.pending and self.progress:
            return f"{PENDING} {self.progress}"
        return self.state or "?"

    @property
    def source(self) -> str:
        """What it copies: ``i-1 /dev/xvda`` (an instance's volume), ``vol-1`` (a volume
        attached to none), ``i-1 image`` (every disk of the instance)."""
        if self.kind == "image":
            return f"{self.instance or '?'} image"
        if self.instance:
            return f"{self.instance} {self.device}".strip()
        return self.volume or "?"


def _tag(item: dict[str, Any], key: str) -> str:
    found = (t.get("Value", "") for t in item.get("Tags") or () if t.get("Key") == key)
    return clean(next(found, ""), 200)


def _snapshot(region: str, snapshot: dict[str, Any]) -> Copy:
    return Copy(
        kind="snapshot",
        copy_id=clean(snapshot.get("SnapshotId", ""), 40),
        region=region,
        state=clean(snapshot.get("State", ""), 30),
        progress=clean(snapshot.get("Progress", ""), 10),
        made=to_datetime(snapshot.get("StartTime")),
        case=_tag(snapshot, TAG_CASE),
        instance=_tag(snapshot, TAG_SOURCE_INSTANCE),
        volume=_tag(snapshot, TAG_SOURCE_VOLUME) or clean(snapshot.get("VolumeId", ""), 40),
        device=_tag(snapshot, TAG_DEVICE),
        description=clean(snapshot.get("Description", ""), 300),
        reason=clean(snapshot.get("StateMessage", ""), 300),
    )


def _image(region: str, image: dict[str, Any], states: dict[str, str] | None) -> Copy:
    """An image as a :class:`Copy`; ``states`` are its snapshots' (None: not read)."""
    disks = tuple(
        Disk(clean(m.get("DeviceName", ""), 60), clean(m["Ebs"].get("SnapshotId", ""), 40),
             UNREAD if states is None else states.get(m["Ebs"].get("SnapshotId", ""), ""))
        for m in image.get("BlockDeviceMappings") or () if m.get("Ebs")
    )
    return Copy(
        kind="image",
        copy_id=clean(image.get("ImageId", ""), 40),
        region=region,
        state=clean(image.get("State", ""), 30),
        made=to_datetime(image.get("CreationDate")),
        case=_tag(image, TAG_CASE),
        instance=_tag(image, TAG_SOURCE_INSTANCE),
        description=clean(image.get("Description", ""), 300),
        reason=clean((image.get("StateReason") or {}).get("Message", ""), 300),
        disks=disks,
    )


@dataclass(frozen=True, slots=True)
class ReadFailure:
    """One of a region's reads that failed (``DescribeImages``), and why; the region's
    other reads answered."""

    read: str
    failure: Failure
    #: The kind of copies it lists (``image``), whose earlier rows the view keeps; ''
    #: for the read of an image's snapshots' states.
    lost: str = ""

    def __str__(self) -> str:
        """``DescribeImages denied (UnauthorizedOperation)``: the AWS error code when
        there is one (the message repeats it at a length 80 columns cannot hold), else
        the failure in words (a timeout has no code)."""
        if self.failure.code:
            return f"{self.read} {self.failure.kind.value} ({self.failure.code})"
        return f"{self.read} {self.failure}"


@dataclass(frozen=True, slots=True)
class RegionCopies:
    """A region's copies, and the reads of it that failed while others answered: a
    role without ec2:DescribeImages still lists its snapshots."""

    copies: list[Copy]
    failed: tuple[ReadFailure, ...] = ()


class _Reads:
    """A region's reads, each one's failure kept rather than raised, so that one
    denied read loses only its own rows."""

    def __init__(self) -> None:
        self.failed: list[ReadFailure] = []
        self.errors: list[Exception] = []

    def run(self, read: str, lists: str, call: Callable[[], list[dict[str, Any]]]
            ) -> list[dict[str, Any]] | None:
        """``call``'s answer, or None (its failure kept) when it raised; ``lists`` is
        the kind of copies it lists ('' for none)."""
        try:
            return call()
        except Exception as exc:  # each read's failure is the region's to report
            self.errors.append(exc)
            self.failed.append(ReadFailure(read, classify(exc), lists))
            return None


def region_copies(ctx: AwsContext, region: str) -> RegionCopies:
    """Every snapshot and image of ``region`` this tool made, newest first (blocking):
    the account's own alone (without OwnerIds, DescribeSnapshots walks every public
    snapshot of the region), tagged as :mod:`~awsir_tui.aws.actions` tags them. An
    image's own snapshots carry no tag: their states are read by their IDs
    (:data:`UNREAD` when that read failed). One read that fails is named in the
    answer and the other's copies kept; both failing is the region's failure, raised
    for :func:`scan_evidence` to report."""
    client = ctx.client("ec2", region)
    mine = [{"Name": f"tag:{TAG_CREATED_BY}", "Values": [CREATED_BY]}]
    reads = _Reads()
    snapshots = reads.run("DescribeSnapshots", "snapshot", lambda: [
        s for page in client.get_paginator("describe_snapshots").paginate(
            OwnerIds=["self"], Filters=mine) for s in page.get("Snapshots", [])])
    images = reads.run("DescribeImages", "image", lambda: client.describe_images(
        Owners=["self"], Filters=mine).get("Images", []))
    if snapshots is None and images is None:
        raise reads.errors[0]
    disk_ids = [m["Ebs"]["SnapshotId"] for image in images or ()
                for m in image.get("BlockDeviceMappings") or ()
                if (m.get("Ebs") or {}).get("SnapshotId")]
    states: dict[str, str] | None = {}
    if disk_ids and snapshots is None:
        states = None  # the same call, just refused: not asked again
    elif disk_ids:  # a filter, not SnapshotIds: one deleted snapshot fails no call
        found = reads.run("DescribeSnapshots", "", lambda: [
            s for page in client.get_paginator("describe_snapshots").paginate(
                OwnerIds=["self"], Filters=[{"Name": "snapshot-id", "Values": disk_ids}])
            for s in page.get("Snapshots", [])])
        states = None if found is None else {
            s["SnapshotId"]: clean(s.get("State", ""), 30) for s in found}
    copies = [_snapshot(region, s) for s in snapshots or ()]
    copies += [_image(region, i, states) for i in images or ()]
    return RegionCopies(newest_first(copies), tuple(reads.failed))


def newest_first(copies: Iterable[Copy], case: str = "") -> list[Copy]:
    """``copies`` newest first; those of ``case`` (the open case) before all others."""
    oldest = datetime.min.replace(tzinfo=UTC)
    by_time = sorted(copies, key=lambda c: c.made or oldest, reverse=True)
    return sorted(by_time, key=lambda c: bool(case) and c.case != case)


def still_pending(copies: Iterable[Copy]) -> bool:
    """Whether some copy is still being made: the view then reads again by itself."""
    return any(copy.pending for copy in copies)


def scan_evidence(
    ctx: AwsContext, regions: Iterable[str], limit: int = 8
) -> AsyncIterator[RegionOutcome[RegionCopies]]:
    """Every region's copies in parallel, yielded as each region answers (or fails)."""
    return fan_out(regions, partial(region_copies, ctx), limit)
