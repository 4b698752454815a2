"""Forensic actions: the only calls of the app that change the account.

A responder may want evidence preserved before the attacker cleans up: an EBS snapshot
of each volume of an instance, or an AMI made without rebooting it. These create
resources; they never stop, modify or delete anything. Each call is planned first
(reads only), shown to the user exactly as it will be sent (operation, region,
resource), and sent only if the app was started with ``--allow-actions`` and the user
confirmed that one call: :func:`execute` then makes it inside ``ctx.guard.permit``, so
the guard journals it as a mutating call, and logs it at WARNING.

What a forensic copy carries: a description and tags naming the case and the source
(instance, volume, device), so that whoever finds the snapshot later knows why it exists.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from awsir_tui.aws.context import AwsContext
from awsir_tui.aws.errors import classify
from awsir_tui.aws.guard import ActionRefused
from awsir_tui.query.times import to_datetime
from awsir_tui.text import clean

log = logging.getLogger(__name__)

#: Tag keys put on everything an action creates.
TAG_CASE = "awsir:case"
TAG_SOURCE_INSTANCE = "awsir:source-instance"
TAG_SOURCE_VOLUME = "awsir:source-volume"
TAG_DEVICE = "awsir:device"
TAG_CREATED_BY = "awsir:created-by"
#: The value of :data:`TAG_CREATED_BY`: what `:evidence` finds the copies by.
CREATED_BY = "awsir-tui"

#: Instance states EC2 makes no image of. A terminated instance's volumes are deleted
#: or detached too; a shutting-down one's may still be attached, and snapshot them now
#: is the last chance to.
_GONE_STATES = frozenset({"shutting-down", "terminated"})

#: Characters EC2 accepts in an AMI name; anything else becomes "-".
_AMI_NAME_UNSAFE = re.compile(r"[^A-Za-z0-9()\[\]./\-'@_ ]")


class PlanRefused(Exception):
    """Planning found nothing to ask for (the instance is gone, it has no volume...).
    Its text is the whole reason, in the responder's words, shown as it is: a Python
    exception name in front of it read like the tool had broken."""


@dataclass(frozen=True, slots=True)
class PlannedCall:
    """One mutating call exactly as it will be sent, for the user to confirm."""

    service: str
    operation: str  # AWS operation name, e.g. "CreateSnapshot"
    region: str
    #: The resource the call acts on (volume or instance ID), for the confirmation.
    resource: str
    #: What it is for, in words (e.g. "snapshot of vol-1 (/dev/xvda) of i-2").
    summary: str
    parameters: dict[str, Any] = field(default_factory=dict)
    #: The forensic copies of the same source made before (by this tool, found by their
    #: tags), newest first, one line each: a second snapshot of a volume is seldom what
    #: the responder meant, and costs money.
    earlier: tuple[str, ...] = ()
    #: Why some copies could not be looked for (a read denied, say), one line each: not
    #: knowing is not the same as none.
    unsearched: tuple[str, ...] = ()

    def describe(self, most: int | None = None) -> str:
        """The confirmation text: operation, region, resource, the key parameters, and
        the copies made before, counted first so that a list cut short (to ``most``
        lines, the last one saying how many more) or scrolled still says how many. The
        newest copy is listed however short the cut: cut to one line, the list said
        "2 copies made before" and "+2 more, older", and named none of them."""
        lines = [
            f"{self.service}:{self.operation} in {self.region}",
            f"resource: {self.resource}",
            self.summary,
        ]
        lines += self.parameter_lines()
        lines += self.unsearched
        if self.earlier:
            count = len(self.earlier)
            copies = "1 copy" if count == 1 else f"{count} copies"
            lines.append(f"{copies} made before from the same source, newest first:")
            shown = self.earlier
            if most is not None and count > most:
                shown = self.earlier[:max(most - 1, 1)]
            lines += [f"  {line}" for line in shown]
            if len(shown) < count:
                lines.append(f"  +{count - len(shown)} more, older")
        return "\n".join(clean(line, 300) for line in lines)

    def parameter_lines(self) -> list[str]:
        """What the call sends besides its resource: the key parameters, then the tags
        it puts on what it creates, one line per resource type. The tags label the
        evidence (the case's name too) for anyone who may read EC2, the attacker holding
        ec2:* included, and the call needs ec2:CreateTags for them: said before Y."""
        lines = [f"{key}: {self.parameters[key]}"
                 for key in ("Description", "Name", "NoReboot") if key in self.parameters]
        for spec in self.parameters.get("TagSpecifications") or ():
            tags = ", ".join(f"{tag['Key']}={tag['Value']}" for tag in spec.get("Tags", ()))
            lines.append(f"tags on the {spec.get('ResourceType', '')} "
                         f"(needs ec2:CreateTags too): {tags}")
        return lines


@dataclass(frozen=True, slots=True)
class ActionResult:
    """What a confirmed call created (snapshot or image IDs)."""

    call: PlannedCall
    created: tuple[str, ...]


def _tags(resource_type: str, case: str, **extra: str) -> list[dict[str, Any]]:
    tags = {
        "Name": f"awsir forensic {case}",
        TAG_CASE: case,
        TAG_CREATED_BY: CREATED_BY,
        **extra,
    }
    return [
        {
            "ResourceType": resource_type,
            "Tags": [{"Key": k, "Value": clean(v, 255)} for k, v in tags.items() if v],
        }
    ]


def _instance(ctx: AwsContext, region: str, instance_id: str) -> dict[str, Any]:
    answer = ctx.client("ec2", region).describe_instances(InstanceIds=[instance_id])
    for reservation in answer.get("Reservations", []):
        for instance in reservation.get("Instances", []):
            return dict(instance)
    raise PlanRefused(clean(f"instance {instance_id} not found in {region}", 200))


def _state(instance: dict[str, Any]) -> str:
    return clean((instance.get("State") or {}).get("Name", ""), 30)


def _case_label(case: str) -> str:
    return clean(case, 100) or "unnamed case"


def _copy_line(copy_id: str, when: datetime | None, tags: list[dict[str, Any]],
               state: object) -> str:
    """One earlier copy for the confirmation: its ID, when, its state and its case."""
    made = when.strftime("%Y-%m-%d %H:%M UTC") if when else "at an unknown time"
    case = next((str(t.get("Value", "")) for t in tags if t.get("Key") == TAG_CASE), "")
    return clean(f"{copy_id} made {made}, {state}" + (f", case {case}" if case else ""), 200)


def _earlier_copies(ctx: AwsContext, region: str, source: str,
                    tag: str = TAG_SOURCE_INSTANCE) -> tuple[tuple[str, ...],
                                                              list[tuple[str, str]]]:
    """The forensic copies this tool made before of ``source`` (found by its ``tag``:
    an instance's, or a detached volume's): why some could not be looked for (a read
    that failed, denied say, one line each), and the copies newest first as ``(source
    volume or "", line)``: every image, and every snapshot with the volume it copies."""
    client = ctx.client("ec2", region)
    mine = [{"Name": f"tag:{tag}", "Values": [source]}]
    oldest = datetime.min.replace(tzinfo=UTC)
    copies: list[tuple[datetime, str, str]] = []  # (when, volume, line)
    failed: list[str] = []
    try:
        for snapshot in client.describe_snapshots(OwnerIds=["self"], Filters=mine)["Snapshots"]:
            volume = clean(snapshot.get("VolumeId", ""), 30)
            when = to_datetime(snapshot.get("StartTime"))
            line = _copy_line(f"{clean(snapshot.get('SnapshotId', ''), 30)} of {volume}",
                              when, snapshot.get("Tags", []), snapshot.get("State", ""))
            copies.append((when or oldest, volume, line))
    except (BotoCoreError, ClientError) as exc:
        failed.append(f"could not look for snapshots: {classify(exc)}")
    try:  # an image is made of an instance: a volume's tag is on none
        images = (client.describe_images(Owners=["self"], Filters=mine)["Images"]
                  if tag == TAG_SOURCE_INSTANCE else [])
        for image in images:
            when = to_datetime(image.get("CreationDate"))
            line = _copy_line(f"{clean(image.get('ImageId', ''), 30)} (image)",
                              when, image.get("Tags", []), image.get("State", ""))
            copies.append((when or oldest, "", line))
    except (BotoCoreError, ClientError) as exc:
        failed.append(f"could not look for images: {classify(exc)}")
    newest_first = sorted(copies, key=lambda copy: copy[0], reverse=True)
    return tuple(failed), [(volume, line) for _, volume, line in newest_first]


def plan_snapshots(ctx: AwsContext, region: str, instance_id: str, case: str) -> list[PlannedCall]:
    """One CreateSnapshot per EBS volume attached to ``instance_id`` (reads only).

    Raises PlanRefused when the instance is terminated or has no EBS volume.
    """
    case = _case_label(case)
    instance = _instance(ctx, region, instance_id)
    state = _state(instance)
    mappings = [
        m for m in instance.get("BlockDeviceMappings", []) if m.get("Ebs", {}).get("VolumeId")
    ] if state != "terminated" else []
    unsearched, earlier = _earlier_copies(ctx, region, instance_id)
    calls = []
    for mapping in mappings:
        volume = str(mapping["Ebs"]["VolumeId"])
        device = clean(mapping.get("DeviceName", ""), 60)
        calls.append(_snapshot_call(
            region, volume, case,
            summary=f"snapshot of {volume} ({device}) attached to {instance_id}",
            described=f"({device}) of {instance_id}",
            tags={TAG_SOURCE_INSTANCE: instance_id, TAG_DEVICE: device},
            # This volume's snapshots and the instance's images (they hold it too).
            earlier=tuple(line for source, line in earlier if source in ("", volume)),
            unsearched=unsearched,
        ))
    if not calls:
        raise PlanRefused(clean(
            f"{instance_id} is {state}: no volume is attached to it any more (one kept on "
            "termination, or detached before, may still exist)"
            if state in _GONE_STATES else f"{instance_id} has no EBS volume to snapshot", 200))
    return calls


def plan_volume_snapshot(ctx: AwsContext, region: str, volume_id: str,
                         case: str) -> list[PlannedCall]:
    """One CreateSnapshot of ``volume_id`` (reads only). Attached, it is its
    instance's call for that volume, tagged with the instance and device; attached to
    none (detached by the attacker, or left over), the call names the volume alone.

    Raises PlanRefused when the volume does not exist.
    """
    answer = ctx.client("ec2", region).describe_volumes(VolumeIds=[volume_id])
    volume = next(iter(answer.get("Volumes", [])), None)
    if volume is None:
        raise PlanRefused(clean(f"volume {volume_id} not found in {region}", 200))
    for attachment in volume.get("Attachments") or []:
        instance_id = str(attachment.get("InstanceId") or "")
        if instance_id and attachment.get("State") in ("attaching", "attached"):
            calls = [call for call in plan_snapshots(ctx, region, instance_id, case)
                     if call.resource == volume_id]
            if not calls:  # its instance no longer lists it: moving, read again
                raise PlanRefused(clean(f"{volume_id} is being attached to or detached "
                                        f"from {instance_id}: try again in a moment", 200))
            return calls
    unsearched, earlier = _earlier_copies(ctx, region, volume_id, TAG_SOURCE_VOLUME)
    return [_snapshot_call(region, volume_id, _case_label(case),
                           summary=f"snapshot of {volume_id}, attached to no instance",
                           described="(detached)", tags={},
                           earlier=tuple(line for _, line in earlier), unsearched=unsearched)]


def _snapshot_call(region: str, volume: str, case: str, *, summary: str, described: str,
                   tags: dict[str, str], earlier: tuple[str, ...],
                   unsearched: tuple[str, ...]) -> PlannedCall:
    """The CreateSnapshot of ``volume``, for an instance's plan or a detached volume's:
    ``described`` says where it is in the snapshot's description, ``tags`` are the
    source's, put beside the volume's."""
    return PlannedCall(
        service="ec2",
        operation="CreateSnapshot",
        region=region,
        resource=volume,
        summary=summary,
        parameters={
            "VolumeId": volume,
            "Description": clean(
                f"awsir-tui forensic snapshot: case {case}; {volume} {described}", 255),
            "TagSpecifications": _tags(
                "snapshot", case, **{**tags, TAG_SOURCE_VOLUME: volume}),
        },
        earlier=earlier,
        unsearched=unsearched,
    )


def plan_image(
    ctx: AwsContext, region: str, instance_id: str, case: str, now: datetime | None = None
) -> PlannedCall:
    """CreateImage with NoReboot=True: a forensic AMI without stopping the instance.

    NoReboot trades file-system consistency for not touching the running instance,
    which is what evidence preservation wants. Reads the instance first so that the
    confirmation names a real resource, and refuses (PlanRefused) one shutting down or
    terminated: EC2 would refuse it too, and a demo that accepted it had a case claim an
    image of a dead instance.
    """
    case = _case_label(case)
    state = _state(_instance(ctx, region, instance_id))
    if state in _GONE_STATES:
        raise PlanRefused(clean(
            f"{instance_id} is {state}: there is nothing left to image", 200))
    unsearched, earlier = _earlier_copies(ctx, region, instance_id)
    stamp = (now or datetime.now(UTC)).strftime("%Y%m%dT%H%M%SZ")
    name = _AMI_NAME_UNSAFE.sub("-", f"awsir-forensic-{instance_id}-{stamp}")[:128]
    return PlannedCall(
        service="ec2",
        operation="CreateImage",
        region=region,
        resource=instance_id,
        summary=f"forensic image of {instance_id} without reboot",
        parameters={
            "InstanceId": instance_id,
            "Name": name,
            "Description": clean(f"awsir-tui forensic image: case {case}; {instance_id}", 255),
            "NoReboot": True,
            # The image only: its snapshots are found through the image, and tagging
            # them here is what moto (the demo) does not implement.
            "TagSpecifications": _tags("image", case, **{TAG_SOURCE_INSTANCE: instance_id}),
        },
        earlier=tuple(line for _, line in earlier),
        unsearched=unsearched,
    )


#: Operation -> (boto3 method, key of the created ID in the answer).
_METHODS = {
    "CreateSnapshot": ("create_snapshot", "SnapshotId"),
    "CreateImage": ("create_image", "ImageId"),
}


def execute(ctx: AwsContext, call: PlannedCall) -> ActionResult:
    """Send one confirmed ``call`` (blocking). Call only after the user said yes to it.

    Raises ActionRefused, before any request leaves, when actions are not allowed; AWS
    errors propagate as botocore exceptions for the caller to classify.
    """
    if not ctx.target.allow_actions or not ctx.guard.allow_actions:
        raise ActionRefused(
            call.service, call.operation, "actions are not allowed (restart with --allow-actions)"
        )
    if call.operation not in _METHODS:
        raise ActionRefused(call.service, call.operation, "not a known forensic action")
    method, id_key = _METHODS[call.operation]
    client = ctx.client(call.service, call.region)
    # The parameters are the app's own (a description, tags): no secret among them.
    log.warning(
        "forensic action %s:%s in %s on %s (confirmed by the user): %s",
        call.service,
        call.operation,
        call.region,
        call.resource,
        clean("; ".join(call.parameter_lines()), 2000),
    )
    with ctx.guard.permit(call.operation, call.resource, creates=id_key):
        answer = getattr(client, method)(**call.parameters)
    created = clean(answer.get(id_key, ""), 60)
    log.warning("forensic action %s created %s", call.operation, created)
    return ActionResult(call, (created,) if created else ())
