"""EC2 reads for one region: instances, security groups, key pairs, and what links them.

Every function here is blocking (boto3) and takes the context and one region, so the
UI runs it in a worker and the CLI through :func:`awsir_tui.aws.fanout.fan_out`. Objects
stay AWS's own dicts (so JSON output keeps AWS's field names) with ``"Region"`` added;
groups and key pairs also get ``"UsedBy"``, the instance IDs that use them, because
"who uses this?" is the first question a responder asks of a suspicious group or key;
groups also get ``"OpenToWorld"`` (:data:`~awsir_tui.sg_rules.OPEN_TO_WORLD`), the ports
their inbound rules open to the whole internet, worked out once as they are read.
Only Describe* calls are made: the guard would refuse anything else anyway.
"""

from __future__ import annotations

import base64
import gzip
import io
from collections.abc import Iterable
from typing import Any, NamedTuple

from botocore.exceptions import ClientError

from awsir_tui.aws.context import AwsContext
from awsir_tui.sg_rules import OPEN_TO_WORLD, port_text, world_open_cidrs

AwsObject = dict[str, Any]

#: What EC2 answers for an instance ID that is not (or no longer) in the region.
NOT_FOUND_CODES = frozenset({"InvalidInstanceID.NotFound", "InvalidInstanceID.Malformed"})


def _pages(ctx: AwsContext, region: str, operation: str, key: str, **kwargs: Any) -> list[Any]:
    """Every item under ``key`` across all pages of a paginated EC2 Describe call."""
    paginator = ctx.client("ec2", region).get_paginator(operation)
    items: list[Any] = []
    for page in paginator.paginate(**kwargs):
        items.extend(page.get(key, []))
    return items


def instances(ctx: AwsContext, region: str) -> list[AwsObject]:
    """Every instance of ``region`` (DescribeInstances ``Instance`` dicts + ``"Region"``)."""
    found: list[AwsObject] = []
    for reservation in _pages(ctx, region, "describe_instances", "Reservations"):
        for instance in reservation.get("Instances", []):
            found.append({**instance, "Region": region})
    return found


def used_by_group(instances_: Iterable[AwsObject]) -> dict[str, list[str]]:
    """Group ID -> IDs of the instances that carry it (in the order given)."""
    users: dict[str, list[str]] = {}
    for instance in instances_:
        for group in instance.get("SecurityGroups", []):
            users.setdefault(group.get("GroupId", ""), []).append(instance["InstanceId"])
    return users


def security_groups(
    ctx: AwsContext, region: str, region_instances: list[AwsObject]
) -> list[AwsObject]:
    """Every security group of ``region``, with who uses it and what it opens to anyone.

    ``"UsedBy"`` lists instance IDs (from ``region_instances``); ``"UsedByInterfaces"``
    lists the network interfaces carrying the group (load balancers, Lambda, NAT...,
    which also make a group "used" even when no instance does). ``"OpenToWorld"`` lists
    the ports of its inbound rules open to the whole internet (:func:`open_ports`): the
    list's red rows, its column and ``open:`` read it rather than parse every rule again.
    """
    groups = _pages(ctx, region, "describe_security_groups", "SecurityGroups")
    interfaces = _pages(ctx, region, "describe_network_interfaces", "NetworkInterfaces")
    by_instance = used_by_group(region_instances)
    by_interface: dict[str, list[str]] = {}
    for interface in interfaces:
        for group in interface.get("Groups", []):
            by_interface.setdefault(group.get("GroupId", ""), []).append(
                interface.get("NetworkInterfaceId", "")
            )
    return [
        {
            **group,
            "Region": region,
            "UsedBy": by_instance.get(group.get("GroupId", ""), []),
            "UsedByInterfaces": by_interface.get(group.get("GroupId", ""), []),
            OPEN_TO_WORLD: open_ports(group),
        }
        for group in groups
    ]


def key_pairs(ctx: AwsContext, region: str, region_instances: list[AwsObject]) -> list[AwsObject]:
    """Every key pair of ``region`` (``KeyPairInfo`` + ``"Region"`` + ``"UsedBy"``).

    EC2 records only the key's *name* on an instance, so "used by" means "launched with
    a key of this name in this region".
    """
    answer = ctx.client("ec2", region).describe_key_pairs()
    users: dict[str, list[str]] = {}
    for instance in region_instances:
        if instance.get("KeyName"):
            users.setdefault(instance["KeyName"], []).append(instance["InstanceId"])
    return [
        {**key, "Region": region, "UsedBy": users.get(key.get("KeyName", ""), [])}
        for key in answer.get("KeyPairs", [])
    ]


def is_used(obj: AwsObject) -> bool:
    """Whether a group or key pair is used by any instance (or, for groups, interface)."""
    return bool(obj.get("UsedBy") or obj.get("UsedByInterfaces"))


def is_open(group: AwsObject) -> bool:
    """Whether a group read by :func:`security_groups` lets the whole internet in."""
    return bool(group.get(OPEN_TO_WORLD))


# --- rules -------------------------------------------------------------------------


def rule_sources(permission: AwsObject) -> list[tuple[str, str]]:
    """(peer, description) for every peer of a rule: CIDRs, groups, prefix lists."""
    peers: list[tuple[str, str]] = []
    for item in permission.get("IpRanges", []):
        peers.append((str(item.get("CidrIp", "")), str(item.get("Description", ""))))
    for item in permission.get("Ipv6Ranges", []):
        peers.append((str(item.get("CidrIpv6", "")), str(item.get("Description", ""))))
    for item in permission.get("UserIdGroupPairs", []):
        peers.append((str(item.get("GroupId", "")), str(item.get("Description", ""))))
    for item in permission.get("PrefixListIds", []):
        peers.append((str(item.get("PrefixListId", "")), str(item.get("Description", ""))))
    return peers


class RuleLine(NamedTuple):
    """One peer of one rule, as the pages show it: ``tcp/22 from 1.2.3.4/32``.

    ``peer`` is a CIDR, a group ID or a prefix list ID, kept apart so that what a row
    leads to or marks is read here rather than cut out of the text again.
    """

    ports: str
    #: ``from`` (inbound) or ``to`` (outbound).
    direction: str
    peer: str
    description: str
    #: Open to the whole internet: 0.0.0.0/0, ::/0, or CIDRs that make up the internet
    #: together with the group's other rules for those ports.
    world: bool

    @property
    def text(self) -> str:
        return f"{self.ports} {self.direction} {self.peer}"


def rule_lines(group: AwsObject, egress: bool = False) -> list[RuleLine]:
    """Each peer of each inbound (or outbound) rule of ``group``, with whether it is
    open to the world (:func:`awsir_tui.sg_rules.world_open_cidrs`)."""
    key, word = ("IpPermissionsEgress", "to") if egress else ("IpPermissions", "from")
    permissions = group.get(key) or []
    lines: list[RuleLine] = []
    for permission, world in zip(permissions, world_open_cidrs(permissions), strict=True):
        ports = port_text(permission)
        for peer, description in rule_sources(permission):
            lines.append(RuleLine(ports, word, peer, description, peer in world))
    return lines


def open_ports(group: AwsObject) -> list[str]:
    """The ports of the inbound rules open to the whole internet, each named once:
    ``["tcp/22", "all"]``.

    Outbound to anywhere is AWS's default and not flagged; inbound from anywhere is how
    an attacker's SSH group usually looks. :func:`security_groups` keeps this on each
    group it reads; ask it here only for a group read otherwise.
    """
    permissions = group.get("IpPermissions") or []
    return list(dict.fromkeys(
        port_text(permission)
        for permission, world in zip(permissions, world_open_cidrs(permissions), strict=True)
        if world))


# --- instance details --------------------------------------------------------------


def describe_groups(ctx: AwsContext, region: str, group_ids: list[str]) -> list[AwsObject]:
    """The named security groups with their rules (+ ``"Region"``)."""
    if not group_ids:
        return []
    answer = ctx.client("ec2", region).describe_security_groups(GroupIds=group_ids)
    return [  # OpenToWorld as security_groups gives it: is_open and open: read it
        {**group, "Region": region, OPEN_TO_WORLD: open_ports(group)}
        for group in answer.get("SecurityGroups", [])
    ]


def describe_key_pair(ctx: AwsContext, region: str, key_name: str) -> AwsObject | None:
    """The key pair called ``key_name`` (fingerprint, type, create time), or None if gone.

    An attacker often deletes the key after launch; "gone" is itself a finding.
    """
    answer = ctx.client("ec2", region).describe_key_pairs(
        Filters=[{"Name": "key-name", "Values": [key_name]}]
    )
    keys = answer.get("KeyPairs", [])
    return {**keys[0], "Region": region} if keys else None


def instance_volumes(ctx: AwsContext, region: str, instance_id: str) -> list[AwsObject]:
    """The EBS volumes attached to the instance (size, encryption, attach time)."""
    return _pages(
        ctx,
        region,
        "describe_volumes",
        "Volumes",
        Filters=[{"Name": "attachment.instance-id", "Values": [instance_id]}],
    )


def instance_interfaces(ctx: AwsContext, region: str, instance_id: str) -> list[AwsObject]:
    """The network interfaces attached to the instance."""
    return _pages(
        ctx,
        region,
        "describe_network_interfaces",
        "NetworkInterfaces",
        Filters=[{"Name": "attachment.instance-id", "Values": [instance_id]}],
    )


def describe_instance(ctx: AwsContext, region: str, instance_id: str) -> AwsObject | None:
    """One instance by ID (+ ``"Region"``), or None when it is not in ``region``."""
    try:
        answer = ctx.client("ec2", region).describe_instances(InstanceIds=[instance_id])
    except ClientError as exc:
        if exc.response.get("Error", {}).get("Code") in NOT_FOUND_CODES:
            return None
        raise
    for reservation in answer.get("Reservations", []):
        for instance in reservation.get("Instances", []):
            return {**instance, "Region": region}
    return None


#: User data is at most 16 KB encoded; a gzip bomb must not become gigabytes on screen.
USER_DATA_LIMIT = 1 << 20


def decode_user_data(encoded: str) -> str:
    """Base64 user data as text (gunzipped if cloud-init-style gzip), never executed.

    Undecodable bytes are replaced, not dropped: an attacker's script may hide binary.
    """
    raw = base64.b64decode(encoded or "", validate=False)
    if raw[:2] == b"\x1f\x8b":
        try:
            with gzip.GzipFile(fileobj=io.BytesIO(raw)) as unzipped:
                raw = unzipped.read(USER_DATA_LIMIT)
        except (OSError, EOFError):
            pass  # not really gzip: show the bytes as they are
    return raw[:USER_DATA_LIMIT].decode("utf-8", "replace")


def user_data(ctx: AwsContext, region: str, instance_id: str) -> str:
    """The instance's user data decoded (DescribeInstanceAttribute, a read call)."""
    answer = ctx.client("ec2", region).describe_instance_attribute(
        InstanceId=instance_id, Attribute="userData"
    )
    return decode_user_data(str(answer.get("UserData", {}).get("Value", "") or ""))
