"""`:instances`: every instance of the selected regions, or those a pivot selects.

The responder's starting list, newest launches first (what the attacker launched
minutes ago is on top): find the reported instance among hundreds (`/` with ``id:``,
``key:``, ``sg:``, ``tag:Owner=bob``, ``since:2h``...), Enter for everything about one
instance. Opened with a pivot
(``key=evil``), it lists the instances sharing that key, group or profile across every
selected region.
"""

from __future__ import annotations

import asyncio
from typing import ClassVar

from rich.text import Text
from textual import work
from textual.binding import Binding, BindingType

from awsir_tui.aws.ec2 import AwsObject
from awsir_tui.aws.ec2_columns import INSTANCE_COLUMNS, INSTANCES_NEWEST
from awsir_tui.aws.errors import Failure
from awsir_tui.aws.inventory import Kind, Pivot
from awsir_tui.events.sources import Subject
from awsir_tui.query import fields_used
from awsir_tui.query.fields import INSTANCE_FIELDS, FieldTable
from awsir_tui.text import clean
from awsir_tui.ui.base import app_of
from awsir_tui.ui.ec2_common import EVENTS_OF, Ec2ListView
from awsir_tui.ui.ec2_details import InstanceDetailsView, same_as, same_group


class InstancesView(Ec2ListView):
    """The instances of every selected region."""

    crumb = "instances"
    noun = "instances"
    one = "instance"
    indicator_kind = "instance-id"
    filter_example = "key:evil sg:sg-123 -state:stopped"
    newest = INSTANCES_NEWEST
    kind: ClassVar[Kind] = Kind.INSTANCES
    fields: ClassVar[FieldTable] = INSTANCE_FIELDS
    columns = INSTANCE_COLUMNS
    help_text = """
Every EC2 instance of the selected regions, newest launches first; rows appear as each
region answers, and the status line says what each region answered (DENIED,
THROTTLED... regions are blind spots, not empty ones). Enter opens everything about the
instance: groups and rules, key pair, role and policies, volumes, interfaces, user data;
E its CloudTrail events (its role's sessions and the calls naming it); K, S and P, as
on its page, every instance sharing its key pair, security group (its first; its page
chooses another) or profile (K's and P's status line says in how many of the account's
regions the name or profile was searched: the selected ones); F and I, as on its page, a
forensic snapshot of its volumes or an image of it (with --allow-actions, each call
confirmed). s sorts, R reverses the order, r refreshes, y copies the ID; h/l scroll by
whole columns.

role: matches the role of the instance profile: EC2 does not list it, so a filter with
role: reads each profile's role from IAM once; if IAM cannot be read, the status line
says for how many instances the role is unknown, and why (profile: still matches).
"""
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("E", "instance_events", "Events", id="instances.events"),
        # Not in the footer, full at 80 columns: the help and the palette list them.
        Binding("K", "same_as('key')", "Same key", id="instances.same_key", show=False),
        Binding("S", "same_group", "Same group", id="instances.same_group", show=False),
        Binding("P", "same_as('profile')", "Same profile", id="instances.same_profile",
                show=False),
        # As on its page: the row found, F or I at once (they did nothing here).
        Binding("F", "forensic('snapshot')", "Snapshot", id="instances.snapshot",
                show=False),
        Binding("I", "forensic('image')", "Image", id="instances.image", show=False),
    ]

    def __init__(self, filter_text: str = "", pivot: Pivot | None = None) -> None:
        super().__init__(filter_text, pivot)
        #: Profiles whose roles are being read from IAM (0: none).
        self.reading_roles = 0
        #: Instance ID -> why its role is unknown (its profile could not be read).
        self.roles_unknown: dict[str, Failure] = {}

    @staticmethod
    def key_of(item: AwsObject) -> str:
        return f"{item.get('Region', '')}/{item.get('InstanceId', '')}"

    # --- role: the one field EC2 does not list ---------------------------------------

    def render_rows(self) -> None:
        """Before filtering on role:, give the instances the roles IAM told, and read
        the profiles not asked yet (the rows show again when they are known)."""
        if "role" in fields_used(self.filter_query, self.fields):
            profile_roles = app_of(self).profile_roles
            items = self.all_items()
            self.roles_unknown = profile_roles.annotate(items)
            unread = profile_roles.unread(items)
            if unread and not self.reading_roles:
                self.read_roles(unread)
        else:
            self.roles_unknown = {}
        super().render_rows()

    @work(exclusive=True, group="ec2-roles", exit_on_error=False)
    async def read_roles(self, arns: list[str]) -> None:
        """The roles of ``arns`` from IAM (one call each), then the rows again."""
        app = app_of(self)
        self.reading_roles = len(arns)
        self._show_status()
        try:
            await asyncio.to_thread(app.profile_roles.read, arns)
        finally:
            self.reading_roles = 0
        self.render_rows()
        if self.roles_unknown:
            app.notify_failure("roles of instance profiles",
                               next(iter(self.roles_unknown.values())))

    def fields_unknown(self) -> frozenset[str]:
        """role: while IAM is read, or where it could not be: "no role is set on any"
        would be false."""
        return frozenset({"role"}) if self.reading_roles or self.roles_unknown else frozenset()

    def status_note(self) -> Text | None:
        if self.reading_roles:
            return Text(f"reading {self.reading_roles} profiles' roles\u2026", style="yellow")
        if self.roles_unknown:
            failure = next(iter(self.roles_unknown.values()))
            return Text(f"role unknown for {len(self.roles_unknown)} instances "
                        f"(IAM {clean(failure.kind.value)})", style="bold red")
        return None

    def action_refresh(self) -> None:
        """`r` reads the roles again too: a profile's role may have been swapped."""
        app_of(self).profile_roles.forget()
        super().action_refresh()

    @staticmethod
    def indicator_value(item: AwsObject) -> str:
        return str(item.get("InstanceId", ""))

    def style_of(self, item: AwsObject) -> str:
        state = (item.get("State") or {}).get("Name")
        return "dim" if state in ("terminated", "shutting-down") else ""

    def action_instance_events(self) -> None:
        """`E`: everything CloudTrail has on the instance under the cursor."""
        item = self.table.row_to(EVENTS_OF)
        if item is not None and item.get("InstanceId"):
            app_of(self).open_view("events", subject=Subject("instance", str(item["InstanceId"])))

    def action_same_as(self, field: str) -> None:
        """`K`, `P`: the instances sharing the key pair, or the instance profile, of the
        one under the cursor, as the keys do on its page (:func:`same_as`)."""
        item = self.table.row_to("pivot from")
        if item is not None:
            same_as(self, item, field)

    def action_same_group(self) -> None:
        """`S`: the instances sharing the security group of the one under the cursor
        (its first, said when it has several), as on its page (:func:`same_group`)."""
        item = self.table.row_to("pivot from")
        if item is not None:
            same_group(self, item)

    def action_forensic(self, kind: str) -> None:
        """`F`, `I`: a forensic snapshot of the volumes, or an image, of the instance
        under the cursor, asked and journaled as on its page (ui/forensics)."""
        from awsir_tui.ui.forensics import image_instance, snapshot_instance

        item = self.table.row_to("snapshot" if kind == "snapshot" else "image")
        if item is None:
            return
        make = snapshot_instance if kind == "snapshot" else image_instance
        make(self.app, str(item.get("Region", "")), str(item.get("InstanceId", "")))

    def open_item(self, item: AwsObject) -> None:
        self.app.push_screen(InstanceDetailsView(item))
