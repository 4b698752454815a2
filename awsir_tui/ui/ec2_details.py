"""One instance, everything about it; a volume's and an interface's page; a plain page
for any other AWS object.

"How was this set up?" in one screen: attributes and tags, security groups with their
rules (open-to-world ones in red), the key pair (or that it was deleted), profile ->
role -> policies, volumes, interfaces, and the user data decoded as text (never run).
Enter on a group, role, volume or interface opens it, on the key its row in :keys, and
on a policy (or the role's trust policy) its document: what stolen instance credentials
could do is written there, not in the policy's name. `K`, `S`, `P` list the other
instances sharing its key, security group or instance profile in every selected region.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable, Mapping
from contextlib import suppress
from dataclasses import replace
from datetime import datetime
from ipaddress import ip_network
from typing import Any, ClassVar

from textual import work
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Static
from textual.worker import Worker, WorkerError

from awsir_tui.aws.details import (
    InstanceDetails,
    InstanceGone,
    instance_details,
    volume_snapshots,
)
from awsir_tui.aws.ec2 import AwsObject, describe_instance, rule_lines
from awsir_tui.aws.ec2_columns import iso, tag
from awsir_tui.aws.errors import Failure, classify
from awsir_tui.aws.inventory import Kind, Pivot
from awsir_tui.case.indicator import guess_kind
from awsir_tui.case.secrets import redact_text
from awsir_tui.events.sources import Subject
from awsir_tui.query import quote
from awsir_tui.query.times import to_datetime
from awsir_tui.text import clean, count_of
from awsir_tui.ui.base import Mark, View, app_of, cell
from awsir_tui.ui.ec2_common import inventory_of
from awsir_tui.ui.ec2_table import OPEN, Sheet, SheetPage, flatten
from awsir_tui.ui.events_view import default_source
from awsir_tui.ui.iam_views import POLICY_TARGETS, RoleView, open_policy, policy_lines

#: The indicator kind of an instance attribute, for `m` (the others are guessed).
_KINDS = {"ID": "instance-id", "AMI": "ami", "Public IP": "ip", "Private IP": "ip",
          "Key name": "key-pair", "Profile": "arn"}
#: User data lines shown (16 KB of script is rarely more; a bomb must not flood the page).
USER_DATA_LINES = 500
_ATTRIBUTES = (
    ("ID", ("InstanceId",)),
    ("State", ("State", "Name")),
    ("State reason", ("StateTransitionReason",)),
    ("Type", ("InstanceType",)),
    ("Region", ("Region",)),
    ("AZ", ("Placement", "AvailabilityZone")),
    ("Launched", ("LaunchTime",)),
    ("AMI", ("ImageId",)),
    ("VPC", ("VpcId",)),
    ("Subnet", ("SubnetId",)),
    ("Public IP", ("PublicIpAddress",)),
    ("Public DNS", ("PublicDnsName",)),
    ("Private IP", ("PrivateIpAddress",)),
    ("Key name", ("KeyName",)),
    ("Profile", ("IamInstanceProfile", "Arn")),
    ("Platform", ("PlatformDetails",)),
    ("Architecture", ("Architecture",)),
    ("IMDS tokens", ("MetadataOptions", "HttpTokens")),
)


#: What an instance's page says when EC2 no longer returns the instance.
GONE = ("no longer exists: DescribeInstances does not return it any more "
        "(terminated a while ago); what the page showed before is gone with it")


#: What the page says beside ``IMDS tokens  optional``, in red as an open rule is.
IMDS_V1_OPEN = "OPEN: IMDSv1, no token needed"


def imds_v1_open(instance: AwsObject) -> bool:
    """Whether the instance's metadata answers without a session token (IMDSv1): then
    anything on it that can be made to fetch a URL (a proxy, an SSRF) hands out the
    instance role's credentials, which is how the demo's were stolen. A metadata
    endpoint switched off answers nobody."""
    options = instance.get("MetadataOptions") or {}
    return options.get("HttpTokens") == "optional" and options.get("HttpEndpoint") != "disabled"


#: The widest network `m` keeps as an address: IANA hands regional registries /8s, so a
#: wider block is a slice of the internet, nobody's address (IPv6: registries get /12s).
_WIDEST_ADDRESS = {4: 8, 6: 12}


def rule_mark(group: AwsObject, peer: str, world: bool) -> tuple[str, str]:
    """``(kind, value)`` that `m` keeps for a rule line whose peer is ``peer`` (the
    ``1.2.3.4/32`` of ``tcp/22 from 1.2.3.4/32``): the address of a peer that is one
    (``1.2.3.4``, a network as its CIDR), the peer group of a rule that names one, else
    the rule's own group. 0.0.0.0/0, and CIDRs that add up to the world, are no
    attacker's address: marked as one, the case would pivot every event on it."""
    if peer.startswith("sg-"):
        return "security-group", peer
    try:
        network = ip_network(peer, strict=False)
    except ValueError:  # a prefix list
        network = None
    own = ("security-group", str(group.get("GroupId", "")))
    if network is None or world or network.prefixlen < _WIDEST_ADDRESS[network.version]:
        return own
    host = network.prefixlen == network.max_prefixlen
    return "ip", str(network.network_address) if host else peer


def user_data_kind(line: str) -> str:
    """The indicator kind `m` gives a line of user data: what the line is when it is one
    value (an address, an ARN), else ``other``. Left to the guess, a script line with a
    path and a space (``export KEY=a/b``) read as a user agent."""
    kind = guess_kind(line)
    return "other" if kind == "user-agent" else kind


def group_names(groups: Iterable[AwsObject]) -> dict[str, str]:
    """Group ID -> name, for rules that name another group by its ID only."""
    return {str(g.get("GroupId", "")): str(g.get("GroupName", "")) for g in groups}


def add_rules(sheet: Sheet, group: AwsObject, egress: bool, label: str = "",
              names: Mapping[str, str] | None = None) -> int:
    """Write the group's inbound (or outbound) rules, inbound ones open to the world in
    red; `m` on a rule keeps what :func:`rule_mark` says. A peer that is a group is shown
    with its name when ``names`` knows it, and Enter opens it. Returns how many rules
    there are."""
    lines = rule_lines(group, egress=egress)
    for rule in lines:
        flagged = rule.world and not egress
        peer_group = rule.peer.startswith("sg-")
        kind, mark = rule_mark(group, rule.peer, rule.world)
        name = (names or {}).get(rule.peer) if peer_group else None
        sheet.line(" ".join(part for part in (label, "OPEN" if flagged else "") if part),
                   rule.text + (f" ({name})" if name else "")
                   + (f"  ({rule.description})" if rule.description else ""),
                   target=("group", rule.peer) if peer_group else None,
                   style=OPEN if flagged else "", kind=kind, mark=mark)
    return len(lines)


def dig(obj: Any, path: Iterable[str]) -> Any:
    for key in path:
        obj = obj.get(key) if isinstance(obj, dict) else None
    return obj


async def ended(action: Worker[Any]) -> None:
    """Wait until ``action`` (a forensic action a page reads itself again after) ends,
    whether it made something, failed or was cancelled: its notices said which. Shielded:
    a waiter cancelled (r pressed, the page's first load starting late) cancelled the
    task it awaited, the action, its question still on screen."""
    with suppress(WorkerError):
        await asyncio.shield(action.wait())


class ObjectView(SheetPage):
    """Any AWS object as a page of ``path value`` lines."""

    help_text = "Every field of this object, as AWS returned it. y copies a value. Esc goes back."

    def __init__(self, title: str, obj: Any, region: str = "") -> None:
        super().__init__()
        self.crumb = clean(title, 40)
        self.obj = obj
        #: Where the object lives, for the sightings of what `m` marks ('' for IAM).
        self.aws_region = region

    def compose_body(self) -> Iterable[Widget]:
        yield Sheet(id="object-sheet")

    def on_mount(self) -> None:
        self.sheet.reset()
        self.write(self.sheet)

    def write(self, sheet: Sheet) -> None:
        """The page's lines: here every field by its path; a page for one kind of object
        says what matters first."""
        for path, value in flatten(self.obj):
            sheet.line(path, value)

    def mark_at_cursor(self) -> Mark | None:
        return self.sheet.mark(self.crumb, self.aws_region)


def tag_lines(sheet: Sheet, obj: AwsObject, key: str = "Tags") -> None:
    """A Tags section: one ``key  value`` line a tag, marked as a tag whatever its value
    looks like (``[bold red]x[/] [/`` is no user agent): the page knows, the case need
    not guess. ``key`` is where the object keeps them (an interface: ``TagSet``)."""
    sheet.section("Tags")
    tags = [item for item in obj.get(key) or [] if isinstance(item, dict)]
    if not tags:  # an empty heading read as a section still loading, or cut off
        sheet.line("", "none")
    for item in tags:
        tag_key = str(item.get("Key", ""))
        sheet.line(clean(tag_key, 30), item.get("Value", ""), kind="tag", tag=tag_key)


def group_line(sheet: Sheet, group: AwsObject) -> None:
    """A security group as a row: its ID (marked as one), its name, Enter to its page."""
    group_id = str(group.get("GroupId", ""))
    sheet.line(group_id, group.get("GroupName", ""), target=("group", group_id),
               kind="security-group", mark=group_id)


#: What K and P pivot on: where an instance keeps it (its key pair's name, its instance
#: profile's ARN), and what they say of an instance that has none.
SHARED: dict[str, tuple[tuple[str, ...], str]] = {
    "key": (("KeyName",), "this instance was launched without a key pair"),
    "profile": (("IamInstanceProfile", "Arn"), "this instance has no instance profile"),
}


def list_sharing(view: View, pivot: Pivot) -> None:
    """Open :instances on the instances ``pivot`` selects, in every selected region."""
    app_of(view).open_view("instances", pivot=pivot)


def same_as(view: View, instance: AwsObject, field: str) -> None:
    """K, P (``field``: "key", "profile"): every instance sharing ``instance``'s key pair
    or instance profile, in every selected region, from the instance's page and from
    its row in :instances alike (on the row they did nothing and said nothing, where a
    responder expects what the row's page does). Of an instance without one, that it
    has none."""
    path, none = SHARED[field]
    value = dig(instance, path)
    if value:
        list_sharing(view, Pivot(field, str(value)))
    else:
        view.notify(none, severity="warning")


def same_group(view: View, instance: AwsObject, chosen: str = "") -> None:
    """S: every instance in the security group ``chosen`` (the one under the cursor on
    the instance's page), else in the instance's first group; from its page and its
    row in :instances alike. With several and none chosen (a row of the list, the
    page's cursor off its groups), the notice names the one listed and how to choose.
    """
    groups = [str(g.get("GroupId", "")) for g in instance.get("SecurityGroups") or []]
    if not chosen and len(groups) > 1:
        view.notify(f"instances in {clean(groups[0])}, the first of its {len(groups)} "
                    "groups (on the instance's page, S on a group's row lists that group)")
    if chosen or groups:
        list_sharing(view, Pivot("group", chosen or groups[0]))
    else:
        view.notify("this instance has no security group", severity="warning")


def open_group(screen: Screen[Any], group_id: str, region: str,
               groups: Iterable[AwsObject] = ()) -> None:
    """Open a group's page: the group as already read when ``groups`` has it, else by its
    ID, which the page reads the rest of."""
    from awsir_tui.ui.ec2_groups import SecurityGroupView

    group = next((g for g in groups if g.get("GroupId") == group_id), None)
    screen.app.push_screen(SecurityGroupView(group or {"GroupId": group_id, "Region": region}))


def attachment_text(attachment: AwsObject) -> str:
    """An attachment beside its instance's ID: the device (a volume's name, an
    interface's index), its state when not plain ``attached``, since when, and whether
    the volume or interface goes with the instance (a volume kept can still be imaged
    after the instance is terminated); what AWS left out unsaid."""
    state = attachment.get("State") or attachment.get("Status")
    index = attachment.get("DeviceIndex")
    deletes = attachment.get("DeleteOnTermination")
    parts = (
        attachment.get("Device") or (None if index is None else f"device index {index}"),
        state if state != "attached" else None,
        f"since {iso(attachment['AttachTime'])}" if attachment.get("AttachTime") else None,
        None if deletes is None else
        "deleted on termination" if deletes else "kept on termination",
    )
    return "  ".join(str(part) for part in parts if part)


def attachment_lines(sheet: Sheet, attachments: Iterable[Any]) -> None:
    """An Attachments section: one row an attachment, its instance's ID (marked as one,
    Enter opens it) beside :func:`attachment_text`; an attachment to no instance (a load
    balancer's interface) by its owner."""
    sheet.section("Attachments")
    found = [a for a in attachments if isinstance(a, dict)]
    if not found:
        sheet.line("", "none (not attached)")
    for attachment in found:
        instance_id = str(attachment.get("InstanceId") or "")
        owner = attachment.get("InstanceOwnerId")
        sheet.line(instance_id or (f"owner {clean(owner, 24)}" if owner else ""),
                   attachment_text(attachment), kind="instance-id" if instance_id else None,
                   mark=instance_id or None,
                   target=("instance", instance_id) if instance_id else None)


#: A row of a resource page's first section: (label, field, indicator kind for `m`).
Attribute = tuple[str, str, str | None]


class ResourceView(ObjectView):
    """One kind of AWS object as a responder reads it: :attr:`ATTRIBUTES` under
    :attr:`SECTION`, its region, the sections :meth:`write_sections` adds, its tags, then
    every other field AWS returned, by name (a new field is never lost, only later)."""

    SECTION: ClassVar[str] = ""
    ATTRIBUTES: ClassVar[tuple[Attribute, ...]] = ()
    #: The field holding the tags.
    TAGS: ClassVar[str] = "Tags"
    #: The fields :meth:`write_sections` shows, left out of "Other fields".
    SHOWN: ClassVar[frozenset[str]] = frozenset()

    @property
    def resource(self) -> AwsObject:
        return self.obj if isinstance(self.obj, dict) else {}

    def shown_value(self, key: str) -> object:
        """An attribute as the page says it: a flag as yes or no, the rest as AWS has it."""
        value = self.resource.get(key)
        if isinstance(value, bool):
            return "yes" if value else "no"
        return value

    def write_sections(self, sheet: Sheet) -> None:
        """The sections between the attributes and the tags."""

    def open_target(self, kind: str, value: str) -> None:
        """Enter on a security group opens its page, on an attachment its instance's."""
        if kind == "group":
            open_group(self, value, self.aws_region)
        elif kind == "instance":
            self.open_instance(value)

    @work(exclusive=True, group="ec2-open-instance", exit_on_error=False)
    async def open_instance(self, instance_id: str) -> None:
        """The page of ``instance_id``, read by its ID (its page reads the rest)."""
        app = app_of(self)
        try:
            instance = await asyncio.to_thread(
                describe_instance, app.ctx, self.aws_region, instance_id)
        except Exception as exc:
            app.notify_failure(f"instance {instance_id}", classify(exc))
            return
        if instance is None:
            self.notify(f"{instance_id} is no longer in {self.aws_region}", severity="warning")
            return
        self.app.push_screen(InstanceDetailsView(instance))

    def write_history(self, sheet: Sheet) -> None:
        """The sections after the tags: lists that may run long (a volume's snapshots),
        below what the first screen must show."""

    def write(self, sheet: Sheet) -> None:
        resource = self.resource
        sheet.section(self.SECTION)
        for label, key, kind in self.ATTRIBUTES:
            value = self.shown_value(key)
            if value not in (None, ""):
                sheet.line(label, iso(value), kind=kind)
        if self.aws_region:
            sheet.line("Region", self.aws_region)
        self.write_sections(sheet)
        tag_lines(sheet, resource, self.TAGS)
        self.write_history(sheet)
        shown = {key for _, key, _ in self.ATTRIBUTES} | self.SHOWN | {self.TAGS}
        rest = {key: value for key, value in resource.items() if key not in shown}
        if rest:
            sheet.section("Other fields")
            for path, value in flatten(dict(sorted(rest.items()))):
                sheet.line(path, value)


class VolumeView(ResourceView):
    """An EBS volume: what it is, where it is attached, its tags, its snapshots (read
    when the page opens: the evidence already preserved, or copied off by someone),
    then the rest."""

    help_text = """
This volume: ID, state, size and type, encryption and its KMS key, when it was created,
the snapshot it came from, the instances it is attached to (device, since when, and
whether it is deleted with the instance; Enter opens one), its tags, the account's snapshots of it
(newest first), then every other field as AWS returned it. m marks the value under the
cursor; y copies it. F (with --allow-actions) snapshots this volume, asking first, as
F on its instance does; a volume attached to no instance (detached since) is copied
alone. Esc goes back.
"""
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("F", "snapshot", "Snapshot", id="volume.snapshot"),
    ]
    SECTION = "Volume"
    ATTRIBUTES = (
        ("ID", "VolumeId", "volume"),
        ("State", "State", None),
        ("Size", "Size", None),
        ("Type", "VolumeType", None),
        ("Encrypted", "Encrypted", None),
        ("KMS key", "KmsKeyId", "arn"),
        ("Created", "CreateTime", None),
        ("AZ", "AvailabilityZone", None),
        ("Snapshot", "SnapshotId", None),
    )
    SHOWN = frozenset({"Attachments"})

    def __init__(self, title: str, obj: Any, region: str = "") -> None:
        super().__init__(title, obj, region)
        #: The volume's snapshots, newest first; None until read.
        self.snapshots: list[AwsObject] | None = None
        #: Why they could not be read, if they could not.
        self.snapshots_failure: Failure | None = None

    def on_mount(self) -> None:
        super().on_mount()
        self.load_snapshots()

    @property
    def volume_id(self) -> str:
        return str(self.resource.get("VolumeId", ""))

    @work(exclusive=True, group="ec2-volume-snapshots", exit_on_error=False)
    async def load_snapshots(self, after: Worker[Any] | None = None) -> None:
        """Read the volume's snapshots (after ``after``, a snapshot being made, ends)."""
        if after is not None:
            await ended(after)
        try:
            self.snapshots = await asyncio.to_thread(
                volume_snapshots, app_of(self).ctx, self.aws_region, self.volume_id)
            self.snapshots_failure = None
        except Exception as exc:  # the rest of the page still shows
            self.snapshots_failure = classify(exc)
        with self.sheet.rewrite() as sheet:
            self.write(sheet)

    def action_snapshot(self) -> None:
        """F: a forensic snapshot of this volume, attached or not, asked and journaled as
        F on an instance (ui/forensics); the snapshots are read again once it is made."""
        from awsir_tui.ui.forensics import snapshot_volume

        worker = snapshot_volume(self.app, self.aws_region, self.volume_id)
        if worker is not None:
            self.load_snapshots(worker)

    def shown_value(self, key: str) -> object:
        value = self.resource.get(key)
        if key == "Size" and value is not None:
            return f"{value} GiB"
        if key == "SnapshotId" and not value:
            return "none (created empty)" if key in self.resource else None
        return super().shown_value(key)

    def write_sections(self, sheet: Sheet) -> None:
        attachment_lines(sheet, self.resource.get("Attachments") or [])

    def write_history(self, sheet: Sheet) -> None:
        sheet.section("Snapshots", "newest first")
        if self.snapshots_failure is not None:
            sheet.line("unavailable", str(self.snapshots_failure), style=OPEN)
        elif self.snapshots is None:
            sheet.line("", "loading\u2026", style="yellow")
        elif not self.snapshots:
            sheet.line("", "none")
        for snapshot in self.snapshots or []:
            snapshot_id = str(snapshot.get("SnapshotId", ""))
            sheet.line(snapshot_id, "  ".join(str(part) for part in (
                snapshot.get("State"), iso(snapshot.get("StartTime") or ""),
                snapshot.get("Description")) if part),
                kind="other", mark=snapshot_id)


class InterfaceView(ResourceView):
    """A network interface: what and where it is, its addresses (the public ones are
    what the internet saw), its groups (Enter opens one), the instance it is attached
    to, its tags, then the rest."""

    help_text = """
This network interface: ID, status, description, type, subnet, VPC, AZ, MAC address,
source/dest check (off: it forwards traffic that is not its own, as a NAT or a proxy
does), who created it; its private addresses, each with the public one associated
(owner, public DNS) and the IPv6 ones; its security groups (Enter opens one); the
instance it is attached to (device index, since when, whether it is deleted with the
instance; Enter opens it); its tags, then every other field as AWS returned it. m marks
the value under the cursor (an address as an IP); y copies it. Esc goes back.
"""
    SECTION = "Interface"
    ATTRIBUTES = (
        ("ID", "NetworkInterfaceId", "interface"),
        ("Status", "Status", None),
        ("Description", "Description", None),
        ("Type", "InterfaceType", None),
        ("Subnet", "SubnetId", None),
        ("VPC", "VpcId", None),
        ("AZ", "AvailabilityZone", None),
        ("MAC", "MacAddress", None),
        ("Source/dest check", "SourceDestCheck", None),
        ("Requester", "RequesterId", "other"),
        ("Managed by AWS", "RequesterManaged", None),
    )
    TAGS = "TagSet"
    SHOWN = frozenset({"PrivateIpAddress", "PrivateDnsName", "PrivateIpAddresses",
                       "Association", "Ipv6Addresses", "Groups", "Attachment"})

    def shown_value(self, key: str) -> object:
        value = self.resource.get(key)
        if key == "SourceDestCheck" and value is not None:
            return "on" if value else "OFF (forwards traffic not its own)"
        return super().shown_value(key)

    def write_sections(self, sheet: Sheet) -> None:
        eni = self.resource
        sheet.section("Addresses")
        for address in eni.get("PrivateIpAddresses") or [{"Primary": True, **eni}]:
            if not isinstance(address, dict):
                continue
            private = str(address.get("PrivateIpAddress") or "")
            if not private:
                continue
            primary = bool(address.get("Primary"))
            sheet.line(private, "  ".join(str(part) for part in (
                "primary" if primary else "", address.get("PrivateDnsName")) if part),
                kind="ip", mark=private)
            # AWS names the primary address's association on the interface too; moto
            # only there.
            association = address.get("Association") or (
                eni.get("Association") if primary else None)
            if isinstance(association, dict) and association.get("PublicIp"):
                public = str(association["PublicIp"])
                owner = association.get("IpOwnerId")
                sheet.line("  public", "  ".join(str(part) for part in (
                    public, f"owner {owner}" if owner else None,
                    association.get("PublicDnsName")) if part), kind="ip", mark=public)
        for address in eni.get("Ipv6Addresses") or []:
            if isinstance(address, dict) and address.get("Ipv6Address"):
                sheet.line("IPv6", address["Ipv6Address"], kind="ip")
        sheet.section("Security groups")
        groups = [g for g in eni.get("Groups") or [] if isinstance(g, dict)]
        if not groups:
            sheet.line("", "none")
        for group in groups:
            group_line(sheet, group)
        attachment_lines(sheet, [eni["Attachment"]] if eni.get("Attachment") else [])


class InstanceDetailsView(SheetPage):
    """Everything about one instance (see the module doc)."""

    help_text = """
Everything about this instance. Sections load in parallel; one that cannot be read
(e.g. IAM denied) says why and the others still show. Rules open to 0.0.0.0/0 or
::/0, or to CIDRs that add up to the internet for the same ports, are red (OPEN), as
are IMDS tokens "optional" (IMDSv1: whatever can be made to fetch a URL on the instance,
a proxy, hands out its role's credentials). User data is decoded and shown as text,
never run.
Enter on a marked row (\u25b8) opens it: a group its page, the key its row in :keys,
a policy, or the role's trust policy, its document, what it allows without limit said
and in red.
K: other instances with this key pair;
S: instances with the security group under the cursor (else the first group);
P: instances with this instance profile. r reloads. y copies the value under the
cursor (the ID on a group, volume or interface row).
E: this instance's CloudTrail events; / filters them (the prompt starts with the
instance's terms: delete them to search the whole account).
"""
    # In the footer's order: at 80 columns it shows the first five or so. The evidence
    # keys (F, I) come before the pivots, which the page's own rows also lead to; r
    # (reload) is in the help and the palette.
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("E", "instance_events", "Events", id="details.events"),
        Binding("F", "snapshot", "Snapshot", id="details.snapshot"),
        Binding("I", "image", "Image", id="details.image"),
        Binding("K", "same_key", "Same key", id="details.same_key"),
        Binding("S", "same_group", "Same group", id="details.same_group"),
        Binding("P", "same_profile", "Same profile", id="details.same_profile"),
        Binding("r", "reload", "Reload", id="details.reload", show=False),
    ]

    def __init__(self, instance: AwsObject) -> None:
        super().__init__()
        self.instance = instance
        self.details: InstanceDetails | None = None
        #: True once every section has answered (or failed).
        self.loaded = False
        name = tag(instance, "Name")
        self.crumb = clean(instance.get("InstanceId", "?")) + (f" ({clean(name, 20)})"
                                                               if name else "")

    def compose_body(self) -> Iterable[Widget]:
        yield Sheet(id="details-sheet")
        yield Static(id="details-status")

    def on_mount(self) -> None:
        self.render_details(InstanceDetails(instance=self.instance), loading=True)
        self.load()

    @work(exclusive=True, group="ec2-details", exit_on_error=False)
    async def load(self, again: bool = False, after: Worker[Any] | None = None) -> None:
        """Read the page's sections; ``again`` (r, and once ``after``, an action on the
        instance, ends) the instance itself too: its list row said "running" on a page
        reloaded after the attacker terminated it, while the app's own action said
        "terminated"."""
        if after is not None:
            await ended(after)
        app = app_of(self)
        self.loaded = False
        region = str(self.instance.get("Region", ""))
        instance_id = str(self.instance.get("InstanceId", ""))
        try:
            details = await asyncio.to_thread(
                instance_details, app.ctx, region, instance_id,
                None if again or after is not None else self.instance,
            )
        except InstanceGone:
            inventory_of(self).read_again(region, instance_id, None)
            self.render_gone(instance_id, region)
            self.loaded = True
            return
        except Exception as exc:
            app.notify_failure(f"details of {instance_id}", classify(exc))
            return
        if again or after is not None:  # the lists show it as read now
            inventory_of(self).read_again(region, instance_id, details.instance)
        self.instance = details.instance
        self.details = details
        self.render_details(details)
        self.loaded = True

    def action_reload(self) -> None:
        self.load(again=True)

    def action_snapshot(self) -> None:
        """F: forensic EBS snapshots of this instance, each call confirmed (ui/forensics);
        the page is read again once they are made, or refused."""
        from awsir_tui.ui.forensics import snapshot_instance

        worker = snapshot_instance(self.app, str(self.instance.get("Region", "")),
                                   str(self.instance.get("InstanceId", "")))
        if worker is not None:
            self.load(after=worker)

    def action_image(self) -> None:
        """I: a forensic AMI of this instance without reboot, confirmed (ui/forensics);
        the page is read again once it is made, or refused."""
        from awsir_tui.ui.forensics import image_instance

        worker = image_instance(self.app, str(self.instance.get("Region", "")),
                                str(self.instance.get("InstanceId", "")))
        if worker is not None:
            self.load(after=worker)

    # --- rendering --------------------------------------------------------------------

    def render_details(self, details: InstanceDetails, loading: bool = False) -> None:
        sheet = self.sheet
        with sheet.rewrite():
            instance = details.instance
            sheet.section("Instance")
            for label, path in _ATTRIBUTES:
                value = dig(instance, path)
                if label == "IMDS tokens" and imds_v1_open(instance):
                    # y copies AWS's word, "optional"; the flag is the page's.
                    sheet.line(label, f"{value}  {IMDS_V1_OPEN}", style=OPEN, mark=str(value))
                elif value not in (None, ""):
                    # The key's name opens it as the Key pair section's Name row does:
                    # the first a responder tries, and it said "nothing to open".
                    target = ("key", str(value)) if label == "Key name" else None
                    sheet.line(label, iso(value), kind=_KINDS.get(label), target=target)
            tag_lines(sheet, instance)
            self._groups(details, loading)
            self._key(details, loading)
            self._profile(details, loading)
            self._volumes(details, loading)
            self._interfaces(details, loading)
            self._user_data(details, loading)
        status = "loading\u2026" if loading else (
            f"{count_of(len(details.failures), 'section')} unavailable" if details.failures else "")
        self.query_one("#details-status", Static).update(cell(status, style="yellow"))

    def render_gone(self, instance_id: str, region: str) -> None:
        """The page of an instance EC2 no longer returns (terminated long ago): that,
        plainly, and nothing of what it was, which is no longer known."""
        self.details = None
        with self.sheet.rewrite() as sheet:
            sheet.section("Instance")
            sheet.line("ID", instance_id, kind="instance-id")
            sheet.line("Region", region)
            sheet.line("", GONE, style=OPEN)
        self.query_one("#details-status", Static).update(cell("instance gone", style="yellow"))

    def _missing(self, details: InstanceDetails, section: str, loading: bool) -> bool:
        """Write 'loading' or the failure for ``section``; True when it has no data."""
        if loading:
            self.sheet.line("", "loading\u2026", style="yellow")
            return True
        failure = details.failures.get(section)
        if failure is not None:
            self.sheet.line("unavailable", str(failure), style=OPEN)
            return True
        return False

    def _groups(self, details: InstanceDetails, loading: bool) -> None:
        sheet = self.sheet
        sheet.section("Security groups")
        if self._missing(details, "groups", loading):
            for group in details.instance.get("SecurityGroups") or []:
                group_line(sheet, group)
            return
        # The region's groups already read (the :sg list, a group's page) name the peers
        # of rules at no cost; the instance's own groups too.
        known = [g for g in inventory_of(self).cached(Kind.SECURITY_GROUPS)
                 if g.get("Region") == details.region]
        names = group_names([*known, *details.groups])
        for group in details.groups:
            group_line(sheet, group)
            for egress in (False, True):
                add_rules(sheet, group, egress, "  out" if egress else "  in", names)

    def _key(self, details: InstanceDetails, loading: bool) -> None:
        sheet = self.sheet
        sheet.section("Key pair")
        name = details.instance.get("KeyName")
        if not name:
            sheet.line("", "none (no SSH key at launch)")
            return
        sheet.line("Name", name, target=("key", str(name)), kind="key-pair")
        if self._missing(details, "key_pair", loading):
            return
        if details.key_pair is None:
            sheet.line("", "key pair no longer exists in this region", style=OPEN)
            return
        sheet.line("Fingerprint", details.key_pair.get("KeyFingerprint", ""), kind="fingerprint")
        sheet.line("Type", details.key_pair.get("KeyType", ""))
        sheet.line("Created", iso(details.key_pair.get("CreateTime")))
        sheet.line("ID", details.key_pair.get("KeyPairId", ""), kind="key-pair")

    def _profile(self, details: InstanceDetails, loading: bool) -> None:
        sheet = self.sheet
        sheet.section("Profile and role")
        arn = dig(details.instance, ("IamInstanceProfile", "Arn"))
        if not arn:
            sheet.line("", "none")
            return
        sheet.line("Profile", arn, kind="arn")
        if self._missing(details, "profile", loading) or details.profile is None:
            return
        for role in details.profile.roles:
            # A role is known by its ARN: the events of its sessions name it.
            sheet.line("Role", role.name, target=("role", role.name),
                       kind="arn" if role.arn else "other", mark=role.arn or role.name)
            policy_lines(sheet, role, indent="  ")

    def _volumes(self, details: InstanceDetails, loading: bool) -> None:
        sheet = self.sheet
        sheet.section("Volumes")
        if self._missing(details, "volumes", loading):
            return
        if not details.volumes:  # a terminated instance's volumes are gone
            sheet.line("", "none")
        for volume in details.volumes:
            attachment: AwsObject = next(iter(volume.get("Attachments") or []), {})
            encrypted = "encrypted" if volume.get("Encrypted") else "NOT encrypted"
            attached = iso(attachment.get("AttachTime"))
            summary = (f"{volume.get('Size', '?')} GiB {encrypted} "
                       f"{attachment.get('Device', '')} attached {attached}")
            sheet.line(volume.get("VolumeId", ""), summary,
                       target=("volume", str(volume.get("VolumeId", ""))), kind="volume",
                       mark=str(volume.get("VolumeId", "")))

    def _interfaces(self, details: InstanceDetails, loading: bool) -> None:
        sheet = self.sheet
        sheet.section("Network interfaces")
        if self._missing(details, "interfaces", loading):
            return
        if not details.interfaces:
            sheet.line("", "none")
        for eni in details.interfaces:
            public = dig(eni, ("Association", "PublicIp")) or ""
            groups = ", ".join(str(g.get("GroupId", "")) for g in eni.get("Groups") or [])
            summary = " ".join(
                str(part) for part in (eni.get("PrivateIpAddress", ""), public,
                                       eni.get("SubnetId", ""), groups) if part
            )
            sheet.line(eni.get("NetworkInterfaceId", ""), summary,
                       target=("eni", str(eni.get("NetworkInterfaceId", ""))), kind="interface",
                       mark=str(eni.get("NetworkInterfaceId", "")))

    def _user_data(self, details: InstanceDetails, loading: bool) -> None:
        sheet = self.sheet
        sheet.section("User data", "decoded as text, never run")
        if self._missing(details, "user_data", loading):
            return
        if not details.user_data:
            sheet.line("", "none")
            return
        # Redacted whole before it is cut into lines (a private key spans many), and each
        # line again as the sheet shows it: user data is where scripts keep passwords.
        # A script's final newline ends its last line: split, it made a numbered empty
        # line. Only the page drops it; the user data itself is kept as it is.
        # A tab indents a script's line: laid out as spaces (a cell shows one as \x09).
        lines = redact_text(details.user_data).removesuffix("\n").split("\n")
        for number, line in enumerate(lines[:USER_DATA_LINES], start=1):
            sheet.line(f"{number:>4}", line.expandtabs(4), kind=user_data_kind(line))
        if len(lines) > USER_DATA_LINES:
            sheet.line("", f"\u2026 {len(lines) - USER_DATA_LINES} more lines not shown",
                       style="yellow")

    # --- navigation -------------------------------------------------------------------

    def open_target(self, kind: str, value: str) -> None:
        """Open what a row points at: a group, key (its row in :keys), role, volume or
        interface, or a policy's document."""
        details = self.details
        if kind == "group":
            open_group(self, value, str(self.instance.get("Region", "")),
                       details.groups if details else ())
        elif kind == "key":  # its row in :keys (K lists the instances sharing it)
            region = str(self.instance.get("Region", ""))
            app_of(self).open_view("keys", filter_text=f"name:={quote(value)} "
                                                       f"region:={quote(region)}")
        elif kind == "role" and details and details.profile:
            role = next(r for r in details.profile.roles if r.name == value)
            self.app.push_screen(RoleView(role))
        elif kind in POLICY_TARGETS and details and details.profile:
            open_policy(self, details.profile.roles, kind, value)
        elif kind == "volume" and details:
            volume = next(v for v in details.volumes if v.get("VolumeId") == value)
            self.app.push_screen(VolumeView(value, volume, details.region))
        elif kind == "eni" and details:
            eni = next(e for e in details.interfaces if e.get("NetworkInterfaceId") == value)
            self.app.push_screen(InterfaceView(value, eni, details.region))

    def action_instance_events(self) -> None:
        """`E`: the instance's CloudTrail events (its role's sessions + calls naming it)."""
        subject = Subject("instance", str(self.instance.get("InstanceId", "")))
        app_of(self).open_view("events", subject=subject)

    def events_scope(self) -> str:
        """`/` here filters this instance's events, as `E` lists them in the events'
        source (an archive: the ID anywhere in a record)."""
        subject = Subject("instance", str(self.instance.get("InstanceId", "")))
        return default_source(self).scope_of(subject).filter_text

    def action_same_key(self) -> None:
        same_as(self, self.instance, "key")

    def action_same_group(self) -> None:
        target = self.sheet.target()
        same_group(self, self.instance, target[1] if target and target[0] == "group" else "")

    def action_same_profile(self) -> None:
        same_as(self, self.instance, "profile")

    def mark_at_cursor(self) -> Mark | None:
        """The row's indicator; the instance's own ID seen at its launch, as the list
        marks it: marked from here, the attacker's instance was "first seen" when the
        responder pressed m, after its launch on the same timeline. On the Instance
        heading, the instance: the section is it."""
        instance_id = str(self.instance.get("InstanceId", ""))
        region = str(self.instance.get("Region", ""))
        if self.sheet.heading_at_cursor() == "Instance":
            mark: Mark | None = Mark(instance_id, "instance details", "instance-id", region,
                                     instance_id)
        else:
            mark = self.sheet.mark("instance details", region, instance_id)
        launched = self.instance.get("LaunchTime")
        if mark is not None and mark.value == instance_id and isinstance(launched, datetime):
            return replace(mark, seen=launched)
        return self._key_created(mark)

    def _key_created(self, mark: Mark | None) -> Mark | None:
        """``mark`` seen at its key pair's creation when it is the key's name or ID, as
        :keys marks it: the page shows ``Created`` under the key, and marked from the
        ``Key name`` row the key was first seen "unknown"."""
        key_pair = self.details.key_pair if self.details else None
        if mark is None or mark.kind != "key-pair" or not key_pair:
            return mark
        created = to_datetime(key_pair.get("CreateTime"))
        if created is None or mark.value not in (key_pair.get("KeyName"),
                                                 key_pair.get("KeyPairId")):
            return mark
        return replace(mark, seen=created)
