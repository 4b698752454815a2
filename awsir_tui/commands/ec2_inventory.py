"""`awsir-tui instances | security-groups | key-pairs`: the EC2 inventory, headless.

Same data layer (:class:`~awsir_tui.aws.inventory.Inventory`), same filter language,
same columns and same order as the TUI (instances and key pairs newest first, in every
format), so a script and a responder at the screen get the same answer, and ``| head``
the rows the screen opens on.
A denied or failing region is one line on stderr while the others print; the exit
status is 0 if every region answered, 3 if some did not, 1 if none did, 2 for a bad
filter.
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Callable
from typing import Any, TextIO

from awsir_tui.aws.context import AwsContext
from awsir_tui.aws.ec2 import AwsObject
from awsir_tui.aws.ec2_columns import (
    INSTANCE_COLUMNS,
    INSTANCES_NEWEST,
    KEY_PAIR_COLUMNS,
    KEY_PAIRS_NEWEST,
    SECURITY_GROUP_COLUMNS,
    Column,
    ordered,
)
from awsir_tui.aws.iam import ProfileRoles
from awsir_tui.aws.inventory import Inventory, Kind
from awsir_tui.case.secrets import redact
from awsir_tui.cli import Options, connect
from awsir_tui.commands.output import Fit, answered_status, write
from awsir_tui.commands.regions import regions_or_home
from awsir_tui.query import FilterError, compile_predicate, fields_used, parse
from awsir_tui.query.fields import (
    INSTANCE_FIELDS,
    KEY_PAIR_FIELDS,
    SECURITY_GROUP_FIELDS,
    FieldTable,
)
from awsir_tui.text import clean

#: Subcommand -> what it lists, how it filters, which columns tables and CSV show, and
#: the column it is sorted on, newest first, as its view opens (None: the kind's own
#: first look, ``ec2_columns.ordered``: groups open to the world first).
LISTINGS: dict[str, tuple[Kind, FieldTable, list[Column], str | None]] = {
    "instances": (Kind.INSTANCES, INSTANCE_FIELDS, INSTANCE_COLUMNS, INSTANCES_NEWEST),
    "security-groups": (Kind.SECURITY_GROUPS, SECURITY_GROUP_FIELDS, SECURITY_GROUP_COLUMNS,
                        None),
    "key-pairs": (Kind.KEY_PAIRS, KEY_PAIR_FIELDS, KEY_PAIR_COLUMNS, KEY_PAIRS_NEWEST),
}
#: Subcommand -> the table columns of free text, which may be cut to fit. Only prose
#: (a Name tag, a description, the list of open ports): every name a responder pivots
#: on by its exact value (key pair, group, profile) is shown whole, as IDs and IPs are.
TEXT_FITS: dict[str, dict[str, Fit]] = {
    "instances": {"Name": Fit(12, 48)},
    "security-groups": {"Open to world": Fit(12, 48), "Description": Fit(16, 64)},
    "key-pairs": {},
}


def filter_line(text: str, error: FilterError) -> str:
    """A bad filter as one line: where, what, and the offending term.

    The message is whole: its end is often the fix (the fields the list does have),
    and stderr is a file or a terminal that wraps, never a cell. It is the query
    layer's own words, with what the user typed already cut short in it.
    """
    term = text[error.position : error.position + max(1, error.length)]
    return (
        f"awsir-tui: bad filter at column {error.position + 1} ({clean(term, 40)!r}): "
        f"{clean(error.message)}"
    )


def predicate_for(text: str, fields: FieldTable) -> Callable[[Any], bool]:
    """The filter as a predicate (everything passes an empty filter). Raises FilterError."""
    return compile_predicate(parse(text, fields), fields)


def collect(
    ctx: AwsContext, kind: Kind, err: TextIO, regions: list[str] | None = None,
    unread: Callable[[str], str] = lambda failure: failure,
) -> tuple[list[AwsObject], int]:
    """Every region's items in region order (``regions``, else the command's), the
    regions that failed said on ``err`` in the words ``unread`` gives their failure.

    Returns the items and the exit status their regions make
    (:func:`~awsir_tui.commands.output.answered_status`).
    """
    inventory = Inventory(ctx, regions or regions_or_home(ctx, err))
    outcomes = asyncio.run(inventory.load(kind))
    order = {region: index for index, region in enumerate(inventory.regions)}
    items: list[AwsObject] = []
    failed = 0
    for outcome in sorted(outcomes, key=lambda o: order[o.region]):
        if outcome.failure is not None:
            print(f"awsir-tui: {outcome.region}: {unread(str(outcome.failure))}", file=err)
            failed += 1
            continue
        items.extend(outcome.value or [])
    # The regions not listed (DescribeRegions refused: the home region read) count too.
    unlisted = bool(ctx.unlisted(inventory.regions))
    return items, answered_status(len(outcomes) - failed, failed + unlisted)


def read_roles(ctx: AwsContext, instances: list[AwsObject], err: TextIO) -> None:
    """Give ``instances`` their profiles' roles for ``role:`` (EC2 does not list them);
    say on ``err`` for how many the role stays unknown, and why."""
    roles = ProfileRoles(ctx)
    roles.read(roles.unread(instances))
    unknown = roles.annotate(instances)
    if unknown:
        failure = next(iter(unknown.values()))
        print(f"awsir-tui: role unknown for {len(unknown)} instances: {failure}", file=err)


def run(options: Options, out: TextIO) -> int:
    """Print the listing named by ``options.command``, filtered; see the module doc."""
    kind, fields, columns, newest = LISTINGS[options.command or "instances"]
    try:
        matches = predicate_for(options.filter, fields)
    except FilterError as error:
        print(filter_line(options.filter, error), file=sys.stderr)
        return 2
    with connect(options) as ctx:
        assert isinstance(ctx, AwsContext)
        items, status = collect(ctx, kind, sys.stderr)
        if "role" in fields_used(parse(options.filter, fields), fields):
            read_roles(ctx, items, sys.stderr)
    headers = [header for header, _ in columns]
    column = headers.index(newest) if newest else None
    write(
        ordered([item for item in items if matches(item)], columns, column, reverse=True),
        columns, options.format, out,
        raw=redact,  # a tag or a description may hold a password: the table redacts too
        fits=TEXT_FITS[options.command or "instances"],
    )
    return status
