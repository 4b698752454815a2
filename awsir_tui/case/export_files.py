"""The exports written to a folder, as ``x`` in :indicators writes them: every format,
the values for a sweep, and a copy of the journal of every AWS call, so that whoever is
handed the folder alone holds the record of what the tool did, and the exports name the
journal by the name it has there.

The journal is redacted as it is copied: the app writes it redacted, but an older
version wrote a change's resource and created ID as they came, and the file may have
been edited; every file the case package writes passes the redaction
(:mod:`awsir_tui.case.secrets`). Kept apart from :mod:`awsir_tui.case.export`, whose
formatters read no files.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TextIO

from awsir_tui.case.export import (
    EXPORTS,
    NO_JOURNAL,
    export_case,
    export_name,
    journal_in_folder,
)
from awsir_tui.case.loaded import LoadedCounts
from awsir_tui.case.model import Case
from awsir_tui.case.secrets import redact, redact_text
from awsir_tui.case.store import atomic_output
from awsir_tui.text import inert_json_text


def journal_named(journal: Path, name: str) -> str:
    """``name`` for the journal at ``journal``, or :data:`NO_JOURNAL` when there is none
    (a case on archives alone made no AWS call)."""
    return name if journal.is_file() else NO_JOURNAL


def _redacted_line(line: str) -> str:
    """One journal line with no secret in it and nothing a terminal would run: a record
    re-encoded from its redacted fields, a line that is no record redacted as text."""
    try:
        text = json.dumps(redact(json.loads(line)), ensure_ascii=False, separators=(",", ":"))
    except ValueError:
        text = redact_text(line)
    return inert_json_text(text)


def copy_journal(journal: Path, out: TextIO) -> None:
    """Write ``journal``, redacted line by line, to ``out``. The app may append to it
    meanwhile: what was on disk when read is copied, and a last line cut short by a kill
    is kept, redacted, as a line of its own."""
    with open(journal, encoding="utf-8", errors="replace") as source:
        for line in source:
            if line.strip():
                out.write(_redacted_line(line.rstrip("\r\n")) + "\n")


def write_exports(
    case: Case, folder: Path, stem: str, journal: Path, *, identity: str = "",
    loaded: LoadedCounts | None = None,
) -> None:
    """Write every one of :data:`EXPORTS` of ``case`` to ``folder``, each named after
    ``stem`` (the case file's: :func:`export_name`), and the journal at ``journal``
    copied beside them under its own name, which the exports give; with ``loaded``,
    the loaded events naming each indicator (:func:`export_case`).

    Every file is written whole under its temporary name before any is renamed into
    place: a failure on the way (a full disk, a folder that cannot be made, a name
    taken by a folder) leaves none of this export, only the earlier one's files as they
    were. Written one by one, it left the first formats new beside the others old or
    missing: a folder that looked like one whole export."""
    named = journal_named(journal, journal_in_folder(journal.name))
    with contextlib.ExitStack() as files:
        if named != NO_JOURNAL:
            _stage(files, folder / journal.name, partial(copy_journal, journal))
        for fmt in EXPORTS:
            text = export_case(case, fmt, identity=identity, journal=named, loaded=loaded)
            _stage(files, folder / export_name(stem, fmt), partial(_write, text))


def _write(text: str, out: TextIO) -> None:
    out.write(text)


def _stage(files: contextlib.ExitStack, path: Path, write: Callable[[TextIO], object]) -> None:
    """Write a file that appears at ``path`` only as ``files`` closes
    (:func:`atomic_output`), flushed and synced now: a full disk fails while the files
    are written, not as they are renamed, when those renamed before it would stay (a
    file system may report the full disk only at the sync: NFS, XFS's delayed
    allocation)."""
    out = files.enter_context(atomic_output(path))
    write(out)
    out.flush()
    os.fsync(out.fileno())
