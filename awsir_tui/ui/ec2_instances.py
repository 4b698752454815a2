"""`:instances`: every instance of the selected regions, or those a pivot selects.

The responder's starting list: find the reported instance among hundreds (`/` with
``id:``, ``key:``, ``sg:``, ``tag:Owner=bob``, ``since:2h``...), sort by launch time to
see what is new, Enter for everything about one instance. Opened with a pivot
(``key=evil``), it lists the instances sharing that key, group or profile across every
selected region.
"""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding, BindingType

from awsir_tui.aws.ec2 import AwsObject
from awsir_tui.aws.ec2_columns import INSTANCE_COLUMNS
from awsir_tui.aws.inventory import Kind
from awsir_tui.query.fields import INSTANCE_FIELDS, FieldTable
from awsir_tui.ui.base import app_of
from awsir_tui.ui.ec2_common import Ec2ListView


class InstancesView(Ec2ListView):
    """The instances of every selected region."""

    crumb = "instances"
    noun = "instances"
    kind: ClassVar[Kind] = Kind.INSTANCES
    fields: ClassVar[FieldTable] = INSTANCE_FIELDS
    columns = INSTANCE_COLUMNS
    help_text = """
Every EC2 instance of the selected regions; rows appear as each region answers, and
the status line says what each region answered (DENIED, THROTTLED... regions are blind
spots, not empty ones). Enter opens everything about the instance: groups and rules,
key pair, role and policies, volumes, interfaces, user data.
/ filters: id: name: state: type: key: sg: profile: ip: vpc: subnet: az: region: ami:
tag:K=V since:2h after:2019-08-09 before:..., -term negates, bare words match anywhere.
s sorts by the next column, S reverses (newest launches first), r refreshes;
left/right (h/l) scroll by whole columns. E opens the CloudTrail events of the instance
under the cursor (its role's sessions and the calls naming it).
"""
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("E", "instance_events", "Events", id="instances.events"),
    ]

    @staticmethod
    def key_of(item: AwsObject) -> str:
        return f"{item.get('Region', '')}/{item.get('InstanceId', '')}"

    @staticmethod
    def indicator_value(item: AwsObject) -> str:
        return str(item.get("InstanceId", ""))

    def style_of(self, item: AwsObject) -> str:
        state = (item.get("State") or {}).get("Name")
        return "dim" if state in ("terminated", "shutting-down") else ""

    def action_instance_events(self) -> None:
        """`E`: everything CloudTrail has on the instance under the cursor."""
        item = self.table.current()
        if item and item.get("InstanceId"):
            app_of(self).open_view("events", instance_id=str(item["InstanceId"]))

    def open_item(self, item: AwsObject) -> None:
        from awsir_tui.ui.ec2_details import InstanceDetailsView

        self.app.push_screen(InstanceDetailsView(item))
