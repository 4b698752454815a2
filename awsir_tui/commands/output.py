"""Printing results as a table, JSON, JSON lines or CSV.

JSON keeps AWS's own objects and field names (so `jq` recipes from AWS docs work), with
every character that a terminal acts on or that shows as nothing written as a JSON
escape (:func:`~awsir_tui.text.inert_json_text`): it parses back to the same values;
table and CSV show chosen columns. Table and CSV cells are cleaned of control characters
and secrets, and written as plain text (never markup), because every value may come
from the attacker. CSV cells that a spreadsheet would run as a formula are neutralised.

The table is read by a responder and by ``grep``: an identifier (instance ID, access
key, IP, ARN, event ID) folded over two lines is found by neither, and half an ID is a
wrong ID. So identifier columns are never cut or wrapped. Piped, every record is one
line and nothing in it is cut: ``grep cryptomining`` must find the finding whose title
ends so. On a terminal, only the free-text columns a command names (:class:`Fit`) are
cut, with ``…``, to fit its width, and when the identifiers alone are wider, a record
goes on over indented lines, broken between columns, never inside one.
"""

from __future__ import annotations

import csv
import json
import os
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, TextIO

from rich.cells import cell_len, set_cell_size

from awsir_tui.case.export import defused
from awsir_tui.case.secrets import safe_text
from awsir_tui.text import inert_json_text

FORMATS = ("table", "json", "jsonl", "csv")
Column = tuple[str, Callable[[Any], object]]
#: Spaces between two columns of a table.
GAP = 2
#: Indent of a record's further lines on a terminal too narrow for its identifiers.
INDENT = 4
#: Widest an identifier column is aligned to. A longer value (the attacker writes user
#: names and resource names of any length) is printed whole and pushes the rest of its
#: own line right, rather than widening every row of the table.
ALIGN_MOST = 64
#: Used when a terminal reports no width (some serial consoles and containers).
DEFAULT_WIDTH = 80


@dataclass(frozen=True, slots=True)
class Fit:
    """How a free-text column may be cut (with ``…``) on a terminal: to ``least`` cells
    at the narrowest when short of room, and never shown wider than ``most`` cells.
    Piped, the column is aligned to at most ``align`` cells (``most`` when None) and a
    longer text is written whole, pushing the rest of its own line right (a
    3,000-character event name must not widen every row, nor lose the words a ``grep``
    looks for). ``align`` is for a column a wide terminal may show all of (``most``
    beyond any line): aligned to ``most``, a list of ARNs 906 cells long padded every
    row of the events table to 1,187 characters."""

    least: int = 12
    most: int = 48
    align: int | None = None


def json_default(value: object) -> object:
    """Serialise what boto3 returns that json does not know (datetimes, bytes)."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return str(value)


#: The exit status of a command that answered without part of what was asked (a region
#: denied or failing, a log file unreadable or read in part): 0 told a script that read
#: it the answer was whole, where stderr and the coverage file said PARTIAL. (1: no
#: part answered, or the output could not be written; 2: a command line refused.)
PARTLY_ANSWERED = 3


def answered_status(answered: int, failed: int) -> int:
    """The exit status of a command whose parts (regions, log files) ``answered`` and
    ``failed``: 0 when none failed, :data:`PARTLY_ANSWERED` when some did, 1 when
    none answered."""
    if not failed:
        return 0
    return PARTLY_ANSWERED if answered else 1


def dumps(value: object, indent: int | None = None) -> str:
    """One JSON document, AWS field names kept, inert (see the module doc): on one line,
    or indented by ``indent``."""
    separators = (",", ":") if indent is None else None
    return inert_json_text(json.dumps(value, default=json_default, ensure_ascii=False,
                                      indent=indent, separators=separators))


def cell_text(value: object) -> str:
    """A value as one clean line for a table or CSV cell, with no secret in it (a tag
    or a user agent may hold one: the attacker writes them)."""
    if isinstance(value, list | tuple | set):
        return ", ".join(cell_text(item) for item in value)
    if isinstance(value, datetime):
        return value.isoformat()
    return safe_text(value)


#: A table cell: a text, or a list's items apart (see :func:`cell_parts`).
Cell = str | tuple[str, ...]


def cell_parts(value: object) -> Cell:
    """A value as a table cell: a list keeps its items apart, so that a cut falls
    between two of them (each may be an ID or an ARN); tabs become spaces (a tab would
    shift the columns)."""
    if isinstance(value, list | tuple | set):
        return tuple(cell_text(item).replace("\t", " ") for item in value)
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"  # a count, read as the app writes it (CSV and JSON keep digits)
    return cell_text(value).replace("\t", " ")


def _joined(cell: Cell) -> str:
    return cell if isinstance(cell, str) else ", ".join(cell)


def _more(hidden: int) -> str:
    return f", \u2026 ({hidden} more)"


def _floor(cell: Cell) -> int:
    """The fewest cells a list may be cut to: its first item whole, and the count of
    the others (an item beyond :data:`ALIGN_MOST` overflows instead)."""
    if isinstance(cell, str) or not cell:
        return 0
    first = min(cell_len(cell[0]), ALIGN_MOST)
    return first + (cell_len(_more(len(cell) - 1)) if len(cell) > 1 else 0)


def write(
    items: Iterable[Any],
    columns: Sequence[Column],
    fmt: str,
    out: TextIO,
    raw: Callable[[Any], object] = lambda item: item,
    fits: Mapping[str, Fit] | None = None,
) -> int:
    """Write ``items`` in ``fmt``; ``raw`` gives the JSON object of an item. Returns the count.

    ``fits`` names the table's free-text columns (by header) and how far each may be
    cut; every other column holds identifiers and is shown whole (see the module doc).
    """
    count = 0
    if fmt == "jsonl":
        for item in items:
            out.write(dumps(raw(item)) + "\n")
            count += 1
    elif fmt == "json":
        objects = [raw(item) for item in items]
        out.write(dumps(objects, indent=2) + "\n")
        count = len(objects)
    elif fmt == "csv":
        writer = csv.writer(out)
        writer.writerow([header for header, _ in columns])
        for item in items:
            writer.writerow([defused(cell_text(get(item))) for _, get in columns])
            count += 1
    else:
        headers = [header for header, _ in columns]
        rows = [[cell_parts(get(item)) for _, get in columns] for item in items]
        count = len(rows)
        for line in table_lines(headers, rows, fits or {}, terminal_width(out)):
            out.write(line + "\n")
    return count


def terminal_width(out: TextIO) -> int | None:
    """The width of the terminal ``out`` writes to, or None when it is not a terminal
    (a file, a pipe to ``grep``: then a record is one line, however long).

    ``COLUMNS`` overrides what the terminal says, as for other command line tools.
    """
    try:
        if not out.isatty():
            return None
        columns = os.environ.get("COLUMNS", "")
        if columns.isdigit() and int(columns) > 0:
            return int(columns)
        return os.get_terminal_size(out.fileno()).columns or DEFAULT_WIDTH
    except (AttributeError, OSError, ValueError):  # a stream with no file behind it
        return None


def _cut(cell: Cell, width: int) -> str:
    """A cell in at most ``width`` cells if it can be: a text cut with ``…``, a list cut
    between items (``a, b, … (3 more)``), never inside one (its first is always shown)."""
    text = _joined(cell)
    if cell_len(text) <= width:
        return text
    if isinstance(cell, str):
        return set_cell_size(text, max(0, width - 1)).rstrip() + "\u2026"
    kept = 1
    while kept < len(cell) and cell_len(", ".join(cell[: kept + 1]) + _more(
        len(cell) - kept - 1
    )) <= width:
        kept += 1
    return ", ".join(cell[:kept]) + (_more(len(cell) - kept) if kept < len(cell) else "")


def _bands(least: Sequence[int], width: int) -> list[list[int]]:
    """The columns (indices, in order) of each line of a record: as many as fit
    ``width`` at their narrowest on the first line, then on indented lines. A column
    wider than a line alone gets a line of its own (the terminal folds it there)."""
    bands: list[list[int]] = [[]]
    used, room = 0, width
    for index, narrowest in enumerate(least):
        need = narrowest + (GAP if bands[-1] else 0)
        if bands[-1] and used + need > room:
            bands.append([])
            used, room, need = 0, width - INDENT, narrowest
        bands[-1].append(index)
        used += need
    return bands


def _widen(
    band: Sequence[int], least: Sequence[int], natural: Sequence[int], room: int
) -> dict[int, int]:
    """Widths for one line's columns: each at its narrowest, then the room left shared
    among the cut ones, a cell at a time to the narrowest first (so no one long column
    takes it all), up to each column's natural width."""
    widths = {index: least[index] for index in band}
    spare = room - sum(widths.values()) - GAP * (len(band) - 1)
    while spare > 0:
        growing = [index for index in band if widths[index] < natural[index]]
        if not growing:
            break
        narrowest = min(growing, key=lambda index: widths[index])
        widths[narrowest] += 1
        spare -= 1
    return widths


def table_lines(
    headers: Sequence[str],
    rows: Sequence[Sequence[Cell]],
    fits: Mapping[str, Fit],
    width: int | None,
) -> Iterator[str]:
    """The lines of a plain-text table (header first) for a terminal ``width`` cells
    wide, or for a pipe (``width`` None: one line a record, nothing cut, free text
    aligned to its :attr:`Fit.most`). A row's cells are :func:`cell_parts`."""
    natural: list[int] = []
    least: list[int] = []
    for index, header in enumerate(headers):
        longest = max((cell_len(_joined(row[index])) for row in rows), default=0)
        widest = max(cell_len(header), longest)
        fit = fits.get(header)
        if fit is None:
            natural.append(min(widest, max(ALIGN_MOST, cell_len(header))))
            least.append(natural[-1])
        elif width is None:  # piped: nothing is cut, the column aligned (Fit.align)
            aligned = fit.most if fit.align is None else fit.align
            natural.append(min(widest, max(aligned, cell_len(header))))
            least.append(natural[-1])
        else:
            floor = max((_floor(row[index]) for row in rows), default=0)
            natural.append(min(widest, max(fit.most, cell_len(header), floor)))
            least.append(min(natural[-1], max(fit.least, cell_len(header), floor)))
    if width is None:
        bands = [list(range(len(headers)))]
        widths = dict(enumerate(natural))
    else:
        bands = _bands(least, width)
        widths = {}
        for number, band in enumerate(bands):
            widths.update(_widen(band, least, natural, width - (INDENT if number else 0)))
    for row in [list(headers), *rows]:
        for number, band in enumerate(bands):
            parts = []
            for place, index in enumerate(band):
                if width is not None and headers[index] in fits:
                    value = _cut(row[index], widths[index])
                else:
                    value = _joined(row[index])
                last = place == len(band) - 1
                padding = 0 if last else widths[index] - cell_len(value)
                parts.append(value + " " * max(0, padding))
            line = (" " * GAP).join(parts).rstrip()
            yield " " * INDENT + line if number else line
