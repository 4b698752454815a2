"""The columns of the instance, security-group and key-pair lists.

One definition serves the TUI tables and the headless output, so both show the same
thing under the same header, in the same order (:func:`ordered`, from the column each
list opens sorted on). Getters return plain strings (the caller cleans them and builds
Text); times are ISO 8601 in UTC so that sorting the text sorts by time.

The order is what a responder reads first: at 80 columns the first four or five
columns are all that show, and the rest are a scroll away. :data:`SHRINKABLE`,
:data:`TIMES` and :data:`LIST_CELLS` say how the TUI fits them to that width.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime
from string import hexdigits
from typing import Any

from awsir_tui.aws.ec2 import AwsObject, is_open, is_used
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
    # Two columns: the two IDs as one ran past 40 characters, and its subnet ID was cut
    # at every scroll position at 80 columns.
    ("VPC", _get("VpcId")),
    ("Subnet", _get("SubnetId")),
    ("AMI", _get("ImageId")),
]
#: The column the instance list opens sorted on, newest first: what the attacker
#: launched minutes ago tops the screen, and the output piped to ``head``.
INSTANCES_NEWEST = "Launched"


def _users(obj: AwsObject) -> list[str]:
    """The IDs of the instances using the group or key (its own region's)."""
    return [str(user) for user in obj.get("UsedBy") or []]


def _no_instance(obj: AwsObject) -> str:
    """What a group or key no instance uses says instead: ``2 ENI only`` or ``UNUSED``."""
    interfaces = list(obj.get("UsedByInterfaces") or [])
    return f"{len(interfaces)} ENI only" if interfaces else "UNUSED"


def _used(obj: AwsObject) -> str:
    """``6: i-…, i-…``: how many instances use the group or key, then every one's ID.

    Every ID, however many: the headless CSV and table are what a responder scripts
    "every instance using this group" on, and a list cut to three would hand the
    script three of six without a word. The TUI shows :func:`used_briefly` instead.
    """
    users = _users(obj)
    return f"{len(users)}: " + ", ".join(users) if users else _no_instance(obj)


def used_briefly(obj: AwsObject) -> str:
    """``i-0123456789abcdef0 +5``: the first instance's whole ID and how many more, as a
    list at 80 columns has room for. The whole list cut to the column read
    ``1: i-a81bad37a6a6c5…``, and half an ID is a wrong ID; Enter lists them all."""
    users = _users(obj)
    if not users:
        return _no_instance(obj)
    return users[0] + (f" +{len(users) - 1}" if len(users) > 1 else "")


def _open_to_world(group: AwsObject) -> str:
    """The ports of the inbound rules open to the world: ``tcp/22, all``.

    The header already says "open to world", so each port is named once and without
    its ``from 0.0.0.0/0``: the group's page lists the rules in full. They were worked
    out once as the group was read (:func:`awsir_tui.aws.ec2.security_groups`).
    """
    return ", ".join(str(port) for port in group.get(OPEN_TO_WORLD) or [])


#: What a responder asks of the groups first: which group (its ID, and its name, as
#: the key pairs and instances show it beside it: the attacker's ``sys-maint`` came
#: two `l` away), where, what is open to the world; then used by what.
SECURITY_GROUP_COLUMNS: list[Column] = [
    ("ID", _get("GroupId")),
    ("Name", _get("GroupName")),
    ("Region", _get("Region")),
    ("Open to world", _open_to_world),
    ("Used by", _used),
    ("VPC", _get("VpcId")),
    ("Description", _get("Description")),
]

#: Which key, where, made when, used by what; then the fingerprint (one key imported
#: under two names has one).
KEY_PAIR_COLUMNS: list[Column] = [
    ("Name", _get("KeyName")),
    ("Region", _get("Region")),
    ("Created", _get("CreateTime")),
    ("Used by", _used),
    ("Fingerprint", _get("KeyFingerprint")),
    ("Type", _get("KeyType")),
    ("ID", _get("KeyPairId")),
]

#: The column the key-pair list opens sorted on, newest first: a key made during the
#: incident stands out on top. (Security groups have no time column: they open on
#: :func:`first_look`'s order.)
KEY_PAIRS_NEWEST = "Created"

#: The digits of a fingerprint in hex.
_HEX = frozenset(hexdigits)


def fingerprint_digest(fingerprint: str) -> str:
    """Which digest an AWS key fingerprint is, from its shape: 16 bytes in hex with
    colons MD5 (of an imported RSA key's public key), 20 SHA-1 (of the private key of an
    RSA key AWS made), 32 in base64 SHA-256 (an ED25519 key; moto writes it in hex);
    '' for any other shape. A fingerprint compares only with one of the same digest
    (ssh-keygen's is SHA-256)."""
    octets = fingerprint.split(":")
    if len(octets) > 1 and all(len(octet) == 2 and set(octet) <= _HEX for octet in octets):
        return {16: "MD5", 20: "SHA-1", 32: "SHA-256"}.get(len(octets), "")
    return "SHA-256" if len(fingerprint.rstrip("=")) == 43 else ""


#: Columns whose text the TUI may cut (with an ellipsis) down to this width to fit more
#: columns on screen: names, lists and free text. IDs, addresses, states and times are
#: never cut: half an ID is a wrong ID. A fingerprint is cut too (47 or 59 characters
#: never fit beside a key's name and region at 80): the key-pair list shows the one of
#: the row under the cursor whole beneath the table.
SHRINKABLE: dict[str, int] = {
    "Name": 16, "Key": 12, "Groups": 12, "Profile": 12,
    "Open to world": 24, "Description": 16, "Fingerprint": 16,
}
#: Header -> how the TUI's lists show that column, where the headless text does not fit
#: 80 columns whole (a list's cell is never an ID cut mid-ID). Sorting, and everything
#: headless, still use the column's own getter.
LIST_CELLS: dict[str, Getter] = {"Used by": used_briefly}
#: Time columns, shown in lists as ``2026-11-28 14:02`` (:func:`short_time`).
TIMES = frozenset({"Launched", "Created"})


def first_look(obj: AwsObject) -> tuple[bool, bool, bool]:
    """Where a group stands before any sort: open to the world first, then used, then
    unused, a region's default group after the others of its kind (objects that are
    none of these keep the order they came in). Every region has a default group nobody
    uses: in region order they filled the first screen, and the group open on 22 was a
    page down."""
    return not is_open(obj), not is_used(obj), obj.get("GroupName") == "default"


def ordered(
    items: Iterable[AwsObject], columns: Sequence[Column], column: int | None, reverse: bool
) -> list[AwsObject]:
    """``items`` sorted on ``columns[column]``'s text, lower-cased (``reverse``: Z to A,
    newest first on a time column), or on :func:`first_look` when ``column`` is None.

    The one sort of the TUI's lists and the headless output, so a script piping
    ``instances`` to ``head`` gets the rows the screen opens on. Stable either way:
    ties keep the order they came in (region order, then AWS's).
    """
    if column is None:
        return sorted(items, key=first_look)
    _, get = columns[column]
    return sorted(items, key=lambda item: get(item).lower(), reverse=reverse)
