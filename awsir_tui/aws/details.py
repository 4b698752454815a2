"""Everything about one instance, gathered section by section.

The details view answers "how was this set up?": groups and their rules, key pair,
profile/role/policies, volumes, interfaces, user data. Each section is its own read and
may fail on its own (a responder may read EC2 but not IAM): a failed section records
its :class:`~awsir_tui.aws.errors.Failure` and the rest still shows. The sections are
fetched in parallel threads (boto3 clients are thread-safe) because over a far link
seven sequential round trips are a visible wait.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from awsir_tui.aws import ec2, iam
from awsir_tui.aws.context import AwsContext
from awsir_tui.aws.ec2 import AwsObject
from awsir_tui.aws.errors import Failure, classify
from awsir_tui.query.times import to_datetime

SECTIONS = ("groups", "key_pair", "profile", "volumes", "interfaces", "user_data")


class InstanceGone(LookupError):
    """The instance is not (or no longer) in the region."""


@dataclass
class InstanceDetails:
    """One instance and its linked objects; ``failures`` says which sections are missing."""

    instance: AwsObject
    groups: list[AwsObject] = field(default_factory=list)
    #: None when the instance has no key, or the key no longer exists (see ``key_missing``).
    key_pair: AwsObject | None = None
    profile: iam.ProfileInfo | None = None
    volumes: list[AwsObject] = field(default_factory=list)
    interfaces: list[AwsObject] = field(default_factory=list)
    user_data: str = ""
    failures: dict[str, Failure] = field(default_factory=dict)

    @property
    def region(self) -> str:
        return str(self.instance.get("Region", ""))

    @property
    def key_missing(self) -> bool:
        """Launched with a key that no longer exists (attackers delete theirs)."""
        return bool(self.instance.get("KeyName")) and self.key_pair is None and (
            "key_pair" not in self.failures
        )


def instance_details(
    ctx: AwsContext, region: str, instance_id: str, instance: AwsObject | None = None
) -> InstanceDetails:
    """Gather every section for ``instance_id`` (blocking; run it in a worker).

    ``instance`` (from the inventory) saves one call; without it the instance is read
    first, and :class:`InstanceGone` is raised if it does not exist.
    """
    if instance is None:
        instance = ec2.describe_instance(ctx, region, instance_id)
        if instance is None:
            raise InstanceGone(f"instance {instance_id} not found in {region}")
    details = InstanceDetails(instance=instance)
    group_ids = [g["GroupId"] for g in instance.get("SecurityGroups", []) if g.get("GroupId")]
    key_name = str(instance.get("KeyName") or "")
    profile_arn = str(instance.get("IamInstanceProfile", {}).get("Arn", ""))

    readers: dict[str, Callable[[], Any]] = {
        "groups": lambda: ec2.describe_groups(ctx, region, group_ids),
        "volumes": lambda: ec2.instance_volumes(ctx, region, instance_id),
        "interfaces": lambda: ec2.instance_interfaces(ctx, region, instance_id),
        "user_data": lambda: ec2.user_data(ctx, region, instance_id),
    }
    if key_name:
        readers["key_pair"] = lambda: ec2.describe_key_pair(ctx, region, key_name)
    if profile_arn:
        readers["profile"] = lambda: iam.instance_profile(ctx, profile_arn)

    with ThreadPoolExecutor(max_workers=len(readers)) as pool:
        futures = {name: pool.submit(read) for name, read in readers.items()}
    for name, future in futures.items():
        try:
            setattr(details, name, future.result())
        except Exception as exc:  # one unreadable section must not hide the others
            details.failures[name] = classify(exc)
    details.volumes = [with_deletion(volume, instance) for volume in details.volumes]
    return details


def with_deletion(volume: AwsObject, instance: AwsObject) -> AwsObject:
    """``volume`` with its attachment to ``instance`` saying DeleteOnTermination, from
    the instance's block device mapping where the volume's own answer left it out
    (moto's does): a volume kept on termination can still be imaged after the attacker
    terminates the instance, one deleted with it cannot."""
    instance_id = instance.get("InstanceId")
    deletes = {
        ebs.get("VolumeId"): ebs["DeleteOnTermination"]
        for ebs in (m.get("Ebs") or {} for m in instance.get("BlockDeviceMappings") or [])
        if "DeleteOnTermination" in ebs
    }
    flag = deletes.get(volume.get("VolumeId"))
    if flag is None:
        return volume
    attachments = [
        {"DeleteOnTermination": flag, **a}
        if isinstance(a, dict) and a.get("InstanceId") == instance_id else a
        for a in volume.get("Attachments") or []
    ]
    return {**volume, "Attachments": attachments}


def volume_snapshots(ctx: AwsContext, region: str, volume_id: str) -> list[AwsObject]:
    """The account's snapshots of ``volume_id``, newest first (blocking): the copies a
    responder (or the attacker) made of it. Only the account's own: without OwnerIds,
    DescribeSnapshots walks every public snapshot of the region too."""
    paginator = ctx.client("ec2", region).get_paginator("describe_snapshots")
    pages = paginator.paginate(
        OwnerIds=["self"], Filters=[{"Name": "volume-id", "Values": [volume_id]}]
    )
    found: list[AwsObject] = [s for page in pages for s in page.get("Snapshots", [])]
    oldest = datetime.min.replace(tzinfo=UTC)
    return sorted(found, key=lambda s: to_datetime(s.get("StartTime")) or oldest, reverse=True)
