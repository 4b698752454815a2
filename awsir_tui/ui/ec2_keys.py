"""`:keys`: key pairs of every selected region, used or not.

A key created during the incident is a strong indicator: the list opens newest first
(`R` flips it) and it stands out; UNUSED keys are dim but listed. "Used by" counts the
key's own region's instances (a key pair lives in one region); Enter lists the instances
launched with a key of that name in every selected region, as an attacker who imports
one key in several regions keeps its name, and that list's status line says so.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.binding import Binding, BindingType

from awsir_tui.aws.ec2 import AwsObject, is_used
from awsir_tui.aws.ec2_columns import KEY_PAIR_COLUMNS, KEY_PAIRS_NEWEST, fingerprint_digest
from awsir_tui.aws.inventory import Kind, Pivot
from awsir_tui.events.sources import SubjectKind
from awsir_tui.query.fields import KEY_PAIR_FIELDS, FieldTable
from awsir_tui.text import clean
from awsir_tui.ui.base import app_of
from awsir_tui.ui.ec2_common import Ec2ListView


class KeyPairsView(Ec2ListView):
    """Key pairs of every selected region, newest first."""

    crumb = "key pairs"
    noun = "key pairs"
    one = "key pair"
    indicator_kind = "key-pair"
    events_kind: ClassVar[SubjectKind] = "key pair"
    filter_example = "since:7d used:true"
    newest = KEY_PAIRS_NEWEST
    kind: ClassVar[Kind] = Kind.KEY_PAIRS
    fields: ClassVar[FieldTable] = KEY_PAIR_FIELDS
    columns = KEY_PAIR_COLUMNS
    #: The name and its region: a name is only a key pair in one region.
    pinned = 2
    help_text = """
Key pairs of the selected regions, newest first (a key made during the incident stands
out). Used by: the first instance of the key's own region launched with it and how many
more; dim: UNUSED.
Enter lists the instances launched with a key of this name in every selected region
(an attacker importing one key in several regions keeps its name), so it may list more
than Used by counts: its status line says in how many regions the name was searched
("key name searched in 1 of 17 regions": the regions not selected were not).
E opens the CloudTrail events naming the key (CreateKeyPair, ImportKeyPair, the
RunInstances that used it), in every selected region; over an archive also the searches
naming it (DescribeKeyPairs by key-name), its name matched whole.
The line under the table shows the fingerprint of the key under the cursor whole, and
its digest: MD5 of the public key for an imported RSA key (ssh-keygen -E md5 -lf
key.pub), SHA-1 of the private key for an RSA key AWS made, SHA-256 for ED25519
(ssh-keygen -lf, which leaves out the trailing =). fp: filters on it.
s sorts by the next column, R reverses, r refreshes, y copies the name;
left/right (h/l) scroll by whole columns; the name and region stay at the left.
"""
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("E", "resource_events", "Events", id="keys.events"),
    ]

    @staticmethod
    def key_of(item: AwsObject) -> str:
        return f"{item.get('Region', '')}/{item.get('KeyName', '')}"

    @staticmethod
    def indicator_value(item: AwsObject) -> str:
        return str(item.get("KeyName", ""))

    def row_note(self, item: AwsObject) -> Text | None:
        """The fingerprint of the key under the cursor, whole, and its digest: at 80
        columns the column beside the pinned name and region holds 45 characters, and
        AWS's are 44 (SHA-256), 47 (MD5) or 59 (SHA-1) long (moto's 95); a cut one
        compares with nothing, and one compares only with one of the same digest."""
        fingerprint = clean(str(item.get("KeyFingerprint") or ""), 100)
        # The fingerprint first: folded where it starts, moto's 95 characters take two
        # lines, where after a label they began a line of their own and took three.
        line = Text(overflow="fold")
        line.append(fingerprint or "no fingerprint", style="bold")
        digest = fingerprint_digest(fingerprint)
        kind = clean(str(item.get("KeyType") or ""), 20)
        line.append(f"  {digest + ' ' if digest else ''}fingerprint{', ' + kind if kind else ''}",
                    style="dim")
        return line

    def style_of(self, item: AwsObject) -> str:
        return "" if is_used(item) else "dim"

    def open_item(self, item: AwsObject) -> None:
        app_of(self).open_view("instances", pivot=Pivot("key", str(item.get("KeyName", ""))))

