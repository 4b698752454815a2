"""`:sg`: security groups of every selected region, and one group's page.

An attacker's group usually shows itself: new, open to 0.0.0.0/0 on 22, used by one
instance. The list flags rules open to the world (red) and shows who uses each group
(UNUSED groups are dim but listed). Enter opens a group: its rules in and out, and the
instances using it in every selected region, each one Enter away from its details.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from typing import ClassVar

from rich.text import Text
from textual import work
from textual.binding import Binding, BindingType
from textual.widget import Widget

from awsir_tui.aws.ec2 import AwsObject, is_open, is_used
from awsir_tui.aws.ec2_columns import SECURITY_GROUP_COLUMNS, iso, tag
from awsir_tui.aws.errors import Failure, classify
from awsir_tui.aws.inventory import Kind, Pivot
from awsir_tui.events.sources import Subject, SubjectKind
from awsir_tui.query.bind import fields_used
from awsir_tui.query.fields import SECURITY_GROUP_FIELDS, FieldTable
from awsir_tui.text import clean
from awsir_tui.ui.base import Mark, app_of
from awsir_tui.ui.ec2_common import Ec2ListView, inventory_of, open_resource_events
from awsir_tui.ui.ec2_details import OPEN, add_rules, group_names
from awsir_tui.ui.ec2_table import Sheet, SheetPage


class SecurityGroupsView(Ec2ListView):
    """Security groups of every selected region, used or not."""

    crumb = "security groups"
    noun = "groups"
    one = "security group"
    indicator_kind = "security-group"
    events_kind: ClassVar[SubjectKind] = "security group"
    filter_example = "open:22 used:true"
    kind: ClassVar[Kind] = Kind.SECURITY_GROUPS
    fields: ClassVar[FieldTable] = SECURITY_GROUP_FIELDS
    columns = SECURITY_GROUP_COLUMNS
    #: The ID, its name and its region: an all-region list's row scrolled right is
    #: nobody's without its region, and the name is what a responder knows it by.
    pinned = 3
    help_text = """
Security groups of the selected regions: open to the world first, then those in use,
then the unused, each region's default group last (s sorts by a column). Red: inbound
rules open to the whole internet, 0.0.0.0/0 or ::/0 or CIDRs that add up to it
(0.0.0.0/1 and 128.0.0.0/1) for the same ports (the ports are listed). Used by: the
first instance using the group and how many more (Enter lists them all), "2 ENI only"
when only network interfaces have it; dim: UNUSED (no instance or interface has it).
open:22 finds the groups that let the internet in on port 22 (SSH); port:22 open:true
is two questions (22 from anyone allowed; open on some port), not one rule.
Enter opens the group: rules in and out, and the instances using it. E opens the
CloudTrail events naming the group (who created it, opened its rules, launched with it;
over an archive also the searches naming it, as DescribeSecurityGroups by group-id).
s sorts by the next column, R reverses, r refreshes, y copies the ID;
left/right (h/l) scroll by whole columns; the ID, name and region stay at the left.
"""
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("E", "resource_events", "Events", id="groups.events"),
    ]

    @staticmethod
    def key_of(item: AwsObject) -> str:
        return f"{item.get('Region', '')}/{item.get('GroupId', '')}"

    def status_note(self) -> Text | None:
        """QA typed ``port:22 cidr:0.0.0.0/0`` for "SSH open to the internet" and got
        groups open on other ports: each term matches any of a group's rules (cidr:
        the outbound ones too). Said where it is typed, with the filter that asks it."""
        if {"port", "cidr"} <= fields_used(self.filter_query, self.fields):
            return Text("try open:22: port: and cidr: match rules apart", style="yellow")
        return None

    @staticmethod
    def indicator_value(item: AwsObject) -> str:
        return str(item.get("GroupId", ""))

    def style_of(self, item: AwsObject) -> str:
        if is_open(item):
            return OPEN
        return "" if is_used(item) else "dim"

    def open_item(self, item: AwsObject) -> None:
        self.app.push_screen(SecurityGroupView(item))


class SecurityGroupView(SheetPage):
    """One security group: attributes, rules in and out, and the instances using it."""

    help_text = """
One security group. Inbound rules open to the world are red. A rule whose peer is
another group names it, and Enter opens that group. "Used by" lists the instances
carrying this group in every selected region (Enter opens one) and the network
interfaces that carry it. I lists those instances as a table. E opens the CloudTrail
events naming the group (who created it, opened its rules, launched with it; over an
archive also the searches naming it). y copies the value under the cursor (the ID on an
instance row).
"""
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("I", "instances", "Instances using it", id="group.instances"),
        Binding("E", "group_events", "Events", id="group.events"),
    ]

    def __init__(self, group: AwsObject) -> None:
        super().__init__()
        self.group = group
        #: The instances using the group (every selected region); None until known.
        self.users: list[AwsObject] | None = None
        #: The groups of the group's region, which name the peers of its rules (and
        #: this group itself when it was opened by ID alone); None until known.
        self.region_groups: list[AwsObject] | None = None
        #: Why the region's groups could not be read, if they could not.
        self.region_failure: Failure | None = None
        self.crumb = clean(group.get("GroupId", "?"))

    def compose_body(self) -> Iterable[Widget]:
        yield Sheet(id="group-sheet")

    @property
    def pivot_of(self) -> Pivot:
        return Pivot("group", str(self.group.get("GroupId", "")))

    @property
    def aws_region(self) -> str:
        return str(self.group.get("Region", ""))

    def on_mount(self) -> None:
        self.render_group()
        self.find_users()
        self.find_region_groups()

    @work(exclusive=True, group="ec2-group", exit_on_error=False)
    async def find_users(self) -> None:
        """The instances using this group, from the shared inventory (every region)."""
        self.users = await inventory_of(self).pivot(self.pivot_of)
        self.render_group()

    @work(exclusive=True, group="ec2-group-region", exit_on_error=False)
    async def find_region_groups(self) -> None:
        """The region's groups, from the shared inventory (read once, in a thread): a
        rule names its peer group by ID only, and a group opened from such a rule is
        known by its ID alone until its rules are read here."""
        inventory = inventory_of(self)
        try:
            groups = await asyncio.to_thread(inventory.fetch, Kind.SECURITY_GROUPS,
                                             self.aws_region)
        except Exception as exc:  # the rules still show, with IDs
            self.region_failure = classify(exc)
            app_of(self).notify_failure(f"security groups in {self.aws_region}",
                                        self.region_failure)
            self.render_group()
            return
        group_id = self.group.get("GroupId")
        self.group = next((g for g in groups if g.get("GroupId") == group_id), self.group)
        self.region_groups = groups
        self.render_group()

    def render_group(self) -> None:
        sheet, group = self.sheet, self.group
        with sheet.rewrite():
            sheet.section("Security group")
            for label, key in (("ID", "GroupId"), ("Name", "GroupName"), ("Region", "Region"),
                               ("VPC", "VpcId"), ("Owner", "OwnerId"),
                               ("Description", "Description")):
                if group.get(key):
                    sheet.line(label, group[key],
                               kind="security-group" if key == "GroupId" else None)
            for item in group.get("Tags") or []:
                sheet.line("tag " + clean(item.get("Key", ""), 30), item.get("Value", ""))
            self._rules()
            sheet.section("Used by instances", "in every selected region")
            if self.users is None:
                sheet.line("", "loading\u2026", style="yellow")
            elif not self.users:
                sheet.line("", "UNUSED by any instance", style="dim")
            for instance in self.users or []:
                state = (instance.get("State") or {}).get("Name", "")
                summary = (f"{tag(instance, 'Name')}  {state}  {instance.get('Region', '')}"
                           f"  launched {iso(instance.get('LaunchTime'))}")
                sheet.line(instance.get("InstanceId", ""), summary,
                           target=("instance", str(instance.get("InstanceId", ""))),
                           kind="instance-id", mark=str(instance.get("InstanceId", "")))
            interfaces = group.get("UsedByInterfaces") or []
            if interfaces:
                sheet.section("Used by interfaces")
                for eni in interfaces:
                    sheet.line("", eni, kind="other")

    def _rules(self) -> None:
        """Rules in and out, their peer groups named; or, for a group opened by its ID
        alone, why its rules are not shown (yet)."""
        sheet, group = self.sheet, self.group
        if "IpPermissions" not in group:
            sheet.section("Rules")
            if self.region_failure is not None:
                sheet.line("unavailable", str(self.region_failure), style=OPEN)
            elif self.region_groups is None:
                sheet.line("", "loading\u2026", style="yellow")
            else:
                sheet.line("", f"not found in {self.aws_region} (deleted, or another "
                           "account's)", style=OPEN)
            return
        names = group_names(self.region_groups or [])
        for egress, title in ((False, "Inbound rules"), (True, "Outbound rules")):
            sheet.section(title)
            if not add_rules(sheet, group, egress, names=names):
                sheet.line("", "none")

    def open_target(self, kind: str, value: str) -> None:
        """A rule's peer group (in the same region) or an instance in the group."""
        if kind == "group":
            peer = next((g for g in self.region_groups or [] if g.get("GroupId") == value),
                        {"GroupId": value, "Region": self.aws_region})
            self.app.push_screen(SecurityGroupView(peer))
            return
        instance = next((i for i in self.users or [] if i.get("InstanceId") == value), None)
        if instance is not None:
            from awsir_tui.ui.ec2_details import InstanceDetailsView

            self.app.push_screen(InstanceDetailsView(instance))

    def mark_at_cursor(self) -> Mark | None:
        return self.sheet.mark("security group", str(self.group.get("Region", "")),
                               str(self.group.get("GroupId", "")))

    def action_instances(self) -> None:
        app_of(self).open_view("instances", pivot=self.pivot_of)

    def action_group_events(self) -> None:
        """`E`: the CloudTrail events naming this group."""
        open_resource_events(self, Subject("security group", str(self.group.get("GroupId") or "")))
