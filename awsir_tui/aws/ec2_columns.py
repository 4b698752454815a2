"""The columns of the instance, security-group and key-pair lists.

One definition serves the TUI tables and the headless output, so both show the same
thing under the same header, in the same order (:func:`ordered`, from the column each
list opens sorted on). Getters return plain strings (the caller cleans them and builds
Text); times are ISO 8601 in UTC so that sorting the text sorts by time.

The order is what a responder reads first: at 80 columns the first four or five
columns are all that show, and the rest are a scroll away. :data:`SHRINKABLE` and
:data:`TIMES` say how the TUI fits them to that width.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime
from typing import Any

from awsir_tui.aws.ec2 import AwsObject
from awsir_tui.sg_rules import OPEN_TO_WORLD

Getter = Callable[[AwsObject], str]
Column = tuple[str, Getter]


def iso(value: Any) -> str:
    """A boto3 datetime (or anything) as ``2026-11-28T17:36:49Z``; sortable text."""
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            value = value.astimezone(UTC).replace(tzinfo=None)
        return value.isoformat(timespec="seconds") + "Z"
    return "" if value is None else str(value)


def tag(obj: AwsObject, key: str) -> str:
    """The value of tag ``key`` (exact key), or ''."""
    for item in obj.get("Tags") or []:
        if isinstance(item, dict) and item.get("Key") == key:
            return str(item.get("Value", ""))
    return ""


def group_ids(instance: AwsObject) -> list[str]:
    return [str(g.get("GroupId", "")) for g in instance.get("SecurityGroups") or []]


def group_names(instance: AwsObject) -> str:
    return ", ".join(str(g.get("GroupName", "")) for g in instance.get("SecurityGroups") or [])


def profile_name(instance: AwsObject) -> str:
    """The instance profile's name (the ARN's last part), or ''."""
    arn = str((instance.get("IamInstanceProfile") or {}).get("Arn", ""))
    return arn.rsplit("/", 1)[-1] if arn else ""


def short_time(text: str) -> str:
    """``2026-11-28T17:36:49Z`` as ``2026-11-28 17:36`` (UTC): what a list has room for.

    Anything that is not such a time is returned as it is.
    """
    if len(text) >= 16 and text[10:11] == "T" and text.endswith("Z"):
        return f"{text[:10]} {text[11:16]}"
    return text


def _get(*path: str) -> Getter:
    def get(obj: AwsObject) -> str:
        value: Any = obj
        for key in path:
            value = value.get(key) if isinstance(value, dict) else None
        return iso(value)

    return get


INSTANCE_COLUMNS: list[Column] = [
    ("ID", _get("InstanceId")),
    ("Name", lambda i: tag(i, "Name")),
    ("State", _get("State", "Name")),
    ("Launched", _get("LaunchTime")),
    ("Key", _get("KeyName")),
    ("Groups", group_names),
    ("Profile", profile_name),
    ("Public IP", _get("PublicIpAddress")),
    ("Private IP", _get("PrivateIpAddress")),
    ("Region/AZ", lambda i: str((i.get("Placement") or {}).get("AvailabilityZone") or
                                i.get("Region", ""))),
    ("Type", _get("InstanceType")),
    ("VPC/Subnet", lambda i: "/".join(x for x in (iso(i.get("VpcId")), iso(i.get("SubnetId")))
                                      if x)),
    ("AMI", _get("ImageId")),
]
#: The column the instance list opens sorted on, newest first: what the attacker
#: launched minutes ago tops the screen, and the output piped to ``head``.
INSTANCES_NEWEST = "Launched"


def _used(obj: AwsObject) -> str:
    """``6: i-…, i-…``: how many instances use the group or key, then every one's ID.

    Every ID, however many: the headless CSV and table are what a responder scripts
    "every instance using this group" on, and a list cut to three would hand the
    script three of six without a word. The TUI fits the cell to its column itself
    (:data:`SHRINKABLE`); the count in front says how many a cut cell hides.
    """
    users = list(obj.get("UsedBy") or [])
    interfaces = list(obj.get("UsedByInterfaces") or [])
    if users:
        return f"{len(users)}: " + ", ".join(users)
    if interfaces:
        return f"{len(interfaces)} ENI only"
    return "UNUSED"


def _open_to_world(group: AwsObject) -> str:
    """The ports of the inbound rules open to the world: ``tcp/22, all``.

    The header already says "open to world", so each port is named once and without
    its ``from 0.0.0.0/0``: the group's page lists the rules in full. They were worked
    out once as the group was read (:func:`awsir_tui.aws.ec2.security_groups`).
    """
    return ", ".join(str(port) for port in group.get(OPEN_TO_WORLD) or [])


SECURITY_GROUP_COLUMNS: list[Column] = [
    ("ID", _get("GroupId")),
    ("Name", _get("GroupName")),
    ("Open to world", _open_to_world),
    ("Used by", _used),
    ("Region", _get("Region")),
    ("VPC", _get("VpcId")),
    ("Description", _get("Description")),
]

KEY_PAIR_COLUMNS: list[Column] = [
    ("Name", _get("KeyName")),
    ("Region", _get("Region")),
    ("Created", _get("CreateTime")),
    ("Used by", _used),
    ("Type", _get("KeyType")),
    ("Fingerprint", _get("KeyFingerprint")),
    ("ID", _get("KeyPairId")),
]
#: The column the key-pair list opens sorted on, newest first: a key made during the
#: incident stands out on top. (Security groups have no time column: they stay in
#: region order, then AWS's.)
KEY_PAIRS_NEWEST = "Created"

#: Columns whose text the TUI may cut (with an ellipsis) down to this width to fit more
#: columns on screen: names, lists and free text. IDs, addresses, states and times are
#: never cut: half an ID is a wrong ID.
SHRINKABLE: dict[str, int] = {
    "Name": 16, "Key": 12, "Groups": 12, "Profile": 12, "VPC/Subnet": 21,
    "Open to world": 24, "Used by": 12, "Description": 16, "Fingerprint": 16,
}
#: Time columns, shown in lists as ``2026-11-28 14:02`` (:func:`short_time`).
TIMES = frozenset({"Launched", "Created"})


def ordered(
    items: Iterable[AwsObject], columns: Sequence[Column], column: int | None, reverse: bool
) -> list[AwsObject]:
    """``items`` sorted on ``columns[column]``'s text, lower-cased (``reverse``: Z to A,
    newest first on a time column), or as they came when ``column`` is None.

    The one sort of the TUI's lists and the headless output, so a script piping
    ``instances`` to ``head`` gets the rows the screen opens on. Stable either way:
    ties keep the order they came in (region order, then AWS's).
    """
    if column is None:
        return list(items)
    _, get = columns[column]
    return sorted(items, key=lambda item: get(item).lower(), reverse=reverse)
