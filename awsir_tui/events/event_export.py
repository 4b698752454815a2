"""Writing a set of events to a file: CSV for a spreadsheet, JSONL for the raw records.

Shared by the viewer's export key and the headless command's columns, so that a CSV
from the TUI and one from ``awsir-tui events --format csv`` have the same columns.
CSV cells are cleaned and guarded against formula injection (the values are the
attacker's); JSONL keeps each raw CloudTrail record as it came, one per line.
"""

from __future__ import annotations

import csv
import json
import os
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from platformdirs import user_data_dir

from awsir_tui.events.record import Event
from awsir_tui.text import clean

#: (header, value) of each CSV column.
CSV_COLUMNS: list[tuple[str, Callable[[Event], object]]] = [
    ("time", lambda e: e.event_time.strftime("%Y-%m-%dT%H:%M:%SZ")),
    ("region", lambda e: e.aws_region),
    ("event", lambda e: e.event_name),
    ("user", lambda e: e.user_name),
    ("source_ip", lambda e: e.source_ip),
    ("service", lambda e: e.event_source),
    ("error", lambda e: e.error_code),
    ("access_key", lambda e: e.access_key_id),
    ("resources", lambda e: e.resources),
    ("event_id", lambda e: e.event_id),
]
FORMATS = ("jsonl", "csv")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
#: Progress is reported every this many events.
_PROGRESS_EVERY = 5_000


def export_dir() -> Path:
    """Where exports and yanked values go (``AWSIR_TUI_EXPORT_DIR`` overrides)."""
    override = os.environ.get("AWSIR_TUI_EXPORT_DIR")
    path = Path(override) if override else Path(user_data_dir("awsir-tui")) / "exports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def new_export_path(stem: str, extension: str) -> Path:
    """A fresh file name in :func:`export_dir`, stamped with the UTC time."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    return export_dir() / f"{stem}-{stamp}.{extension}"


def raw_record(event: Event) -> Any:
    """The CloudTrail record itself; a record that is not JSON stays its raw string."""
    return event.record() or event.raw


def csv_cell(value: object) -> str:
    """One clean CSV cell; a spreadsheet must not run it as a formula."""
    if isinstance(value, list | tuple):
        text = ", ".join(clean(item) for item in value)
    else:
        text = clean(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def write_events(
    events: Iterable[Event],
    path: Path,
    fmt: str,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Write ``events`` to ``path`` as ``jsonl`` or ``csv``; return how many were written."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}")
    count = 0
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out) if fmt == "csv" else None
        if writer is not None:
            writer.writerow([header for header, _ in CSV_COLUMNS])
        for event in events:
            if writer is not None:
                writer.writerow([csv_cell(get(event)) for _, get in CSV_COLUMNS])
            else:
                record = raw_record(event)
                compact = isinstance(record, dict) and "\n" not in event.raw
                line = event.raw if compact else json.dumps(record, separators=(",", ":"))
                out.write(line + "\n")
            count += 1
            if progress is not None and count % _PROGRESS_EVERY == 0:
                progress(count)
    if progress is not None:
        progress(count)
    return count
