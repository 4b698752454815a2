"""Printing results as a table, JSON, JSON lines or CSV.

JSON keeps AWS's own objects and field names (so `jq` recipes from AWS docs work);
table and CSV show chosen columns. Table and CSV cells are cleaned of control characters
and secrets, and built as plain Text, because every value may come from the attacker.
CSV cells that a spreadsheet would run as a formula are neutralised.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime
from typing import Any, TextIO

from rich.console import Console
from rich.table import Table
from rich.text import Text

from awsir_tui.case.export import defused
from awsir_tui.case.secrets import safe_text

FORMATS = ("table", "json", "jsonl", "csv")
Column = tuple[str, Callable[[Any], object]]


def json_default(value: object) -> object:
    """Serialise what boto3 returns that json does not know (datetimes, bytes)."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return str(value)


def dumps(value: object) -> str:
    """One JSON document on one line, AWS field names kept."""
    return json.dumps(value, default=json_default, ensure_ascii=False, separators=(",", ":"))


def cell_text(value: object) -> str:
    """A value as one clean line for a table or CSV cell, with no secret in it (a tag
    or a user agent may hold one: the attacker writes them)."""
    if isinstance(value, list | tuple | set):
        return ", ".join(cell_text(item) for item in value)
    if isinstance(value, datetime):
        return value.isoformat()
    return safe_text(value)


def write(
    items: Iterable[Any],
    columns: Sequence[Column],
    fmt: str,
    out: TextIO,
    raw: Callable[[Any], object] = lambda item: item,
) -> int:
    """Write ``items`` in ``fmt``; ``raw`` gives the JSON object of an item. Returns the count."""
    count = 0
    if fmt == "jsonl":
        for item in items:
            out.write(dumps(raw(item)) + "\n")
            count += 1
    elif fmt == "json":
        objects = [raw(item) for item in items]
        out.write(json.dumps(objects, default=json_default, ensure_ascii=False, indent=2) + "\n")
        count = len(objects)
    elif fmt == "csv":
        writer = csv.writer(out)
        writer.writerow([header for header, _ in columns])
        for item in items:
            writer.writerow([defused(cell_text(get(item))) for _, get in columns])
            count += 1
    else:
        table = Table(box=None, pad_edge=False, header_style="bold")
        for header, _ in columns:
            table.add_column(header, overflow="fold")
        for item in items:
            table.add_row(*(Text(cell_text(get(item))) for _, get in columns))
            count += 1
        Console(file=out, width=200, soft_wrap=True, highlight=False).print(table)
    return count
