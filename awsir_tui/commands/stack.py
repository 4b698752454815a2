"""``awsir-tui stack``: the ``:stack`` view's counts, headless, for a report or a script.

Events come from where ``awsir-tui events`` gets them, through the same functions
(``--source`` archives loaded into the event store, else Event history read as
``events`` reads it, over the same range), and are counted by the store's own
:meth:`~awsir_tui.events.store.EventStore.stack`, by the fields ``:stack`` offers,
named as the filter language names them: what a script counts is what the view shows.
The count comes first in each row: it is the column a reader compares, and it lines up
whatever the width of the values after it (an agent's, an ARN's).
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, TextIO, cast

from awsir_tui.case.secrets import redact
from awsir_tui.commands.events import (
    TEXT_FITS,
    archive_status,
    history_read,
    loaded_archives,
    options_query,
)
from awsir_tui.commands.output import Column, Fit, write
from awsir_tui.events.stacking import NO_VALUE, SEVERAL_RESOURCES, STACK_FIELDS, stack_columns
from awsir_tui.events.store import EventStore
from awsir_tui.query import EVENT_FIELDS, Query, compile_sql
from awsir_tui.text import count_of

if TYPE_CHECKING:
    from awsir_tui.aws.context import AwsContext
    from awsir_tui.cli import Options

#: Free text cut to fit a terminal, as the events table cuts the same values; the
#: others (users, keys, IPs, ARNs) are shown whole.
STACK_FITS = {"name": TEXT_FITS["event"], "source": TEXT_FITS["service"],
              "agent": Fit(24, 64)}
#: Every group: the store takes a count of rows, and DuckDB's largest is this.
_EVERY_GROUP = 2**63 - 1

Row = tuple[Any, ...]


def _columns(grouped: Sequence[str], fmt: str) -> list[Column]:
    """The count, then each field's value. A group with no value is :data:`NO_VALUE` in
    the table, as in the view (a blank cell reads as a missing row, and shifts ``awk``'s
    columns), and empty in CSV, which a spreadsheet reads as empty."""
    empty = NO_VALUE if fmt == "table" else ""

    def value(index: int) -> Column:
        return (STACK_FIELDS[grouped[index]],
                lambda row: empty if row[index] in (None, "") else row[index])

    return [("count", lambda row: row[-1]), *(value(i) for i in range(len(grouped)))]


def _counted(
    options: Options, columns: tuple[str, ...], query: Query, err: TextIO
) -> tuple[list[Row], int, int]:
    """The groups (every one, biggest first), the events counted and the exit status."""
    from awsir_tui.cli import connect

    if options.sources or options.store:
        where, params = compile_sql(query, EVENT_FIELDS)
        with loaded_archives(options, query, err) as (store, report, earlier):
            print("awsir-tui: every term ran in the local event store", file=err)
            total = store.count(where, params)
            rows = store.stack(columns, where, params, limit=_EVERY_GROUP)
        return rows, total, archive_status(report, options.sources, earlier)
    with connect(options) as ctx:
        events, code, _ = history_read(cast("AwsContext", ctx), query, None, err)
    with EventStore() as store:  # the events read, counted as the view counts them
        store.add_events(events)
        return store.stack(columns, limit=_EVERY_GROUP), store.count(), code


def run(options: Options, out: TextIO) -> int:
    """The ``stack`` subcommand: exit as ``events`` does (2: a bad field or filter)."""
    from awsir_tui.cli import UsageError

    err = sys.stderr
    try:
        columns = stack_columns(options.by or "")
    except ValueError as error:
        raise UsageError(f"--by {error}") from None
    if options.top is not None and options.top < 1:
        raise UsageError("--top must be at least 1")
    query = options_query(options, err)
    if query is None:
        return 2
    rows, total, code = _counted(options, columns, query, err)
    names = " and ".join(STACK_FIELDS[column] for column in columns)
    said = f"{count_of(total, 'event')} in {count_of(len(rows), 'group')} by {names}"
    if "resources" in columns:
        said += f" ({SEVERAL_RESOURCES})"
    if options.top is not None and len(rows) > options.top:
        said += f"; the {options.top:,} biggest shown (--top)"
        rows = rows[: options.top]
    print(f"awsir-tui: {said}", file=err)
    fields = [STACK_FIELDS[column] for column in columns]

    def as_json(row: Row) -> dict[str, Any]:
        return redact({**dict(zip(fields, row[:-1], strict=True)), "count": row[-1]})

    write(rows, _columns(columns, options.format), options.format, out, raw=as_json,
          fits=STACK_FITS)
    return code
