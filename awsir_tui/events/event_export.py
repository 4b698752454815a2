"""Writing a set of events to a file: CSV for a spreadsheet, JSONL for the raw records.

Shared by the viewer's export key and the headless command's columns, so that a CSV
from the TUI and one from ``awsir-tui events --format csv`` have the same columns.
CSV cells are cleaned, redacted and guarded against formula injection (the values are
the attacker's) as the case's exports are (:func:`awsir_tui.case.export.csv_cell`);
JSONL keeps each raw CloudTrail record as it came, one per line, except for secrets:
CloudTrail logs session tokens (GetFederationToken, GetSessionToken responses) and
private keys (CreateKeyPair), and they never leave the tool, so every record passes the
case package's redaction first (:func:`safe_record`); and except for what drives a
terminal or hides text (an 8-bit CSI, a bidi override: the attacker's values may hold
them), written as the JSON escape that parses back to the same character.
"""

from __future__ import annotations

import contextlib
import csv
import json
import re
import threading
import time
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TextIO

from awsir_tui.case.export import csv_cell
from awsir_tui.case.secrets import (
    might_hold_bare_key,
    might_hold_secret,
    redact,
    redact_text,
)
from awsir_tui.case.store import atomic_output, atomic_write_text, private_dir
from awsir_tui.events.coverage import Coverage, sidecar_path
from awsir_tui.events.record import Event
from awsir_tui.query.times import utc_stamp
from awsir_tui.text import inert_json_text

#: (header, value) of each CSV column.
CSV_COLUMNS: list[tuple[str, Callable[[Event], object]]] = [
    ("time", lambda e: utc_stamp(e.event_time)),
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
#: Progress is reported every this many events.
_PROGRESS_EVERY = 5_000
#: A JSON escape that puts a letter into the text (``\n``, ``\u0070``): the raw text
#: then does not show the name it spells (``pass\u0077ord``), only the parsed record does.
_LETTER_ESCAPE = re.compile(r"\\[bfnrtu]")
#: An export's temporary file (:func:`atomic_output`) older than this, in the export
#: folder, was left by a process that died (an export writes it continuously).
_STALE_TEMPORARY = 600.0


def export_dir(folder: Path) -> Path:
    """``folder`` (a case's :func:`~awsir_tui.case.store.export_folder`), made readable by
    the owner only (:func:`private_dir`), the partial files of dead exports gone."""
    _remove_stale_temporaries(private_dir(folder))
    return folder


def _remove_stale_temporaries(folder: Path) -> None:
    """Remove the hidden partial files of exports whose process died (the SSH session
    dropped mid-export): one can be gigabytes, and nothing else would remove it."""
    now = time.time()
    for partial in folder.glob(".*.tmp"):
        with contextlib.suppress(OSError):
            if now - partial.stat().st_mtime > _STALE_TEMPORARY:
                partial.unlink()


def new_export_path(folder: Path, stem: str, extension: str) -> Path:
    """A fresh file name in :func:`export_dir` ``(folder)``, stamped with the UTC time."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    return export_dir(folder) / f"{stem}-{stamp}.{extension}"


def may_hold_secrets(event: Event) -> bool:
    """Whether the raw record has anything redaction might remove: a record without
    is written as it came, unparsed (exports of a million events stay fast). That
    includes a secret key pasted bare beside its key ID (a tag's value), which no name
    says is one."""
    raw = event.raw
    return (
        might_hold_secret(raw)
        or _LETTER_ESCAPE.search(raw) is not None
        or might_hold_bare_key(raw)
    )


def safe_record(event: Event) -> Any:
    """The CloudTrail record with secrets redacted; a record that is not JSON stays its
    (redacted) raw string."""
    return _redacted(event, event.record())


def _redacted(event: Event, record: dict[str, Any]) -> Any:
    """:func:`safe_record`, given the record parsed (``{}``: not JSON)."""
    if not record:
        return redact_text(event.raw)
    return redact(record) if may_hold_secrets(event) else record


def safe_raw(event: Event) -> str:
    """The raw record as one line of text, secrets redacted and inert (for JSON lines
    and yanks): every character that a terminal acts on or that shows as nothing
    written as a JSON escape (:func:`~awsir_tui.text.inert_json_text`), so that ``cat``
    of the export cannot repaint the responder's terminal, and each record parses back
    to the log's values.

    A record redaction leaves as it was is its raw text, as the log file has it (what
    ``zgrep`` finds): most records that merely mention a token or a secret (``nextToken``,
    ``GetSecretValue``) hold none, and are not written out again."""
    return inert_json_text(_redacted_raw(event))


def _redacted_raw(event: Event) -> str:
    """:func:`safe_raw` before it is made inert."""
    one_line = "\n" not in event.raw
    if one_line and not may_hold_secrets(event):
        return event.raw
    record = event.record()
    safe = _redacted(event, record)
    if one_line and record and safe == record and not _repeats_a_key(event.raw):
        return event.raw
    return json.dumps(safe, ensure_ascii=False, separators=(",", ":"))


class _RepeatedKey(Exception):
    pass


def _no_repeated_key(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    record = dict(pairs)
    if len(record) != len(pairs):
        raise _RepeatedKey
    return record


def _repeats_a_key(raw: str) -> bool:
    """Whether an object of the JSON ``raw`` has a key twice. Parsed, only the last
    value is left: a redaction that changed nothing in the record may have left the
    first one, a secret, in the raw text."""
    try:
        json.loads(raw, object_pairs_hook=_no_repeated_key)
    except _RepeatedKey:
        return True
    return False


class ExportStopped(Exception):
    """:func:`write_events` was told to stop (the app is quitting); nothing was written."""


def write_events(
    events: Iterable[Event],
    path: Path,
    fmt: str,
    progress: Callable[[int], None] | None = None,
    stop: threading.Event | None = None,
    coverage: Coverage | None = None,
) -> int:
    """Write ``events`` to ``path`` as ``jsonl`` or ``csv``; return how many were written.

    ``path`` appears only once every event is written: an export that fails, or is
    stopped (``stop`` set, checked every few thousand events; or its store stopped),
    leaves no partial file there. With ``coverage``, what the export holds of what was
    asked is written beside it (:func:`~awsir_tui.events.coverage.sidecar_path`), as
    privately and atomically, and before it: an export never appears without it.
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}")
    count = write_covered(
        path, coverage, lambda out: _write_rows(events, out, fmt, progress, stop)
    )
    if progress is not None:
        progress(count)
    return count


def write_covered(
    path: Path, coverage: Coverage | None, body: Callable[[TextIO], int]
) -> int:
    """Write an export to ``path`` with ``body`` (given the open file; it returns how
    many events it wrote), atomically and readable by the owner only, and with
    ``coverage`` its sidecar: written first, so that the export never appears without
    it, and removed again if the export cannot be put in place."""
    sidecar: Path | None = None
    try:
        with atomic_output(path, newline="") as out:
            count = body(out)
            if coverage is not None:
                atomic_write_text(sidecar_path(path), coverage.text(path, count))
                sidecar = sidecar_path(path)
    except BaseException:
        if sidecar is not None:
            sidecar.unlink(missing_ok=True)
        raise
    return count


def _write_rows(
    events: Iterable[Event],
    out: TextIO,
    fmt: str,
    progress: Callable[[int], None] | None,
    stop: threading.Event | None,
) -> int:
    """The body of :func:`write_events`: every event to ``out``; the count."""
    count = 0
    writer = csv.writer(out) if fmt == "csv" else None
    if writer is not None:
        writer.writerow([header for header, _ in CSV_COLUMNS])
    for event in events:
        if writer is not None:
            writer.writerow([csv_cell(get(event)) for _, get in CSV_COLUMNS])
        else:
            out.write(safe_raw(event) + "\n")
        count += 1
        if count % _PROGRESS_EVERY == 0:
            if stop is not None and stop.is_set():
                raise ExportStopped(f"stopped after {count:,} events")
            if progress is not None:
                progress(count)
    return count
