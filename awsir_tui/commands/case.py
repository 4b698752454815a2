"""``awsir-tui case list`` and ``awsir-tui case export NAME --format txt|csv|json|md``.

The evidence file a responder mails after the incident, without opening the TUI: the
whole case (indicators, findings kept, timeline, notes) as text (the indicators first,
one per line, as the blog's text file), as one CSV table or JSON object, or as the
Markdown report, which says which regions the app read (from the case and its call
journal) apart from the regions the evidence is in. Cases live under the XDG data
directory (``CaseStore``'s default). Listing only reads: a file it cannot parse is
shown as unreadable, not moved. Exporting a case whose file is unreadable says why and
exports the previous save when there is one.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from awsir_tui.case import Case, CaseFileError, CaseStore, Journal, export_case
from awsir_tui.case.export_files import journal_named
from awsir_tui.case.journal import note_reads
from awsir_tui.commands.output import Column, write
from awsir_tui.query.times import utc_text
from awsir_tui.text import clean

if TYPE_CHECKING:
    from awsir_tui.cli import Options


@dataclass(frozen=True, slots=True)
class SavedCase:
    """One line of ``case list``: the case's name, when it was saved, what it holds."""

    name: str
    saved: datetime
    indicators: int = 0
    findings: int = 0
    notes: int = 0
    problem: str = ""


LIST_COLUMNS: list[Column] = [
    ("name", lambda c: c.name),
    ("saved", lambda c: utc_text(c.saved)),
    ("indicators", lambda c: c.indicators),
    ("findings", lambda c: c.findings),
    ("notes", lambda c: c.notes),
    ("state", lambda c: c.problem or "ok"),
]


def _peek(name: str, path: Path) -> SavedCase:
    """What the file at ``path`` holds, without changing anything on disk (the store's
    ``load`` sets an unreadable file aside; a listing must not)."""
    saved = datetime.fromtimestamp(path.stat().st_mtime, tz=UTC)
    try:
        case = Case.from_dict(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        return SavedCase(name, saved, problem=f"unreadable: {clean(exc, 120)}")
    problem = "only the previous save (.bak) is left" if path.suffix == ".bak" else ""
    return SavedCase(
        name, saved, len(case.indicators), len(case.findings), case.notes_count(), problem
    )


def saved_cases(store: CaseStore) -> list[SavedCase]:
    """Every case in ``store``, by name; a case killed between the two renames of a save
    has only its ``.bak`` and is listed from it."""
    names = set(store.names())
    if store.directory.is_dir():
        names |= {p.name[: -len(".json.bak")] for p in store.directory.glob("*.json.bak")}
    found = []
    for name in sorted(names):
        path = store.path_for(name)
        found.append(_peek(name, path if path.exists() else store.backup_for(name)))
    return found


def exists(store: CaseStore, name: str) -> bool:
    return store.path_for(name).exists() or store.backup_for(name).exists()


def export(store: CaseStore, name: str, fmt: str, out: TextIO, err: TextIO) -> int:
    """Write case ``name`` in ``fmt`` to ``out``: 0, or 2 when there is no such case,
    or 1 when the case file was unreadable (the previous save, if any, is exported)."""
    if not exists(store, name):
        print(
            f"awsir-tui: no case named {clean(name, 80)!r} in {store.directory} "
            "('awsir-tui case list' shows the saved ones)",
            file=err,
        )
        return 2
    try:
        case = store.load(name)
        code = 0
    except CaseFileError as exc:
        print(f"awsir-tui: {clean(exc, 600)}", file=err)
        try:
            case = store.load(name, from_backup=True)
        except CaseFileError as backup_error:
            print(f"awsir-tui: {clean(backup_error, 600)}", file=err)
            return 1
        print("awsir-tui: exporting the previous save instead", file=err)
        code = 1
    _note_journal_reads(store, name, case, err)
    journal = store.journal_path_for(name).resolve()  # stdout: no folder to name it in
    out.write(export_case(case, fmt, journal=journal_named(journal, str(journal))))
    return code


def _note_journal_reads(store: CaseStore, name: str, case: Case, err: TextIO) -> None:
    """Add to ``case`` the regions its journal says the app read: the case notes them as
    they are read, but one saved before it did so, or by an app killed between the
    journal's line and the case's save, has them only there. A journal that cannot be
    read costs the report that line, not the export."""
    try:
        calls = Journal(store.journal_path_for(name)).read()
    except (OSError, UnicodeError) as exc:
        print(f"awsir-tui: the case's journal cannot be read ({clean(exc, 300)}); "
              "the regions read are those the case noted", file=err)
        return
    note_reads(case, calls)


def run(options: Options, out: TextIO) -> int:
    """The ``case`` subcommand."""
    store = CaseStore()
    if options.case_action == "list":
        cases = saved_cases(store)
        if not cases:
            print(f"awsir-tui: no saved cases in {store.directory}", file=sys.stderr)
            return 0
        write(cases, LIST_COLUMNS, "table", out)
        return 0
    return export(store, options.case_name or "", options.format, out, sys.stderr)
