"""The journal of every AWS call goes with the exports (responder check): the exports
named it ``<case>.journal.jsonl, beside the case file``, and the folder ``x`` writes did
not hold it, so whoever was handed the folder could neither find nor read it. Written
to a folder, the journal is copied there, redacted, and named as it is there; printed
to stdout, it is named by its absolute path."""

from __future__ import annotations

import csv
import io
import json
import os
import resource
from datetime import UTC, datetime
from pathlib import Path

import pytest

from awsir_tui.case.export import FORMATS, NO_JOURNAL, md
from awsir_tui.case.export_files import write_exports
from awsir_tui.case.journal import CallRecord
from awsir_tui.case.secrets import REDACTED
from awsir_tui.case.session import CaseSession
from awsir_tui.case.store import CaseStore
from awsir_tui.commands.case import export

SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
SNAPSHOT = "snap-0eeeeeeeeeeeeeee5"


def _worked_case(directory: Path) -> CaseSession:
    """A case that made a snapshot (an action, so that every format names the journal),
    whose journal also holds a line an older version wrote with a secret in it."""
    session = CaseSession("incident", "123456789012", directory)
    session.journal.record(
        CallRecord(
            datetime.now(UTC),
            "ec2",
            "eu-west-1",
            "CreateSnapshot",
            True,
            "ok",
            "",
            "vol-0aaaaaaaaaaaaaaa1",
            SNAPSHOT,
        )
    )
    old = {
        "time": "2026-11-30T10:00:00+00:00",
        "service": "ec2",
        "region": "eu-west-1",
        "operation": "CreateTags",
        "mutating": True,
        "outcome": "ok",
        "resource": f"aws_secret_access_key={SECRET}",
    }
    with open(session.journal.path, "a", encoding="utf-8") as journal:
        journal.write(json.dumps(old) + "\n")
    return session


def test_the_folder_holds_the_journal_redacted_and_every_export_names_it_there(
    tmp_path: Path,
) -> None:
    session = _worked_case(tmp_path)
    folder = tmp_path / "incident-export"
    write_exports(session.snapshot(), folder, session.path.stem, session.journal.path)
    session.close()
    copied = (folder / "incident.journal.jsonl").read_text(encoding="utf-8")
    records = [json.loads(line) for line in copied.splitlines()]
    assert [r["operation"] for r in records] == ["CreateSnapshot", "CreateTags"]
    assert records[0]["created"] == SNAPSHOT
    assert SECRET not in copied and records[1]["resource"] == f"aws_secret_access_key={REDACTED}"
    assert SECRET in session.journal.path.read_text(encoding="utf-8")  # the case's own is kept
    named = "incident.journal.jsonl, in this folder"
    texts = {fmt: (folder / f"incident.{fmt}").read_text(encoding="utf-8") for fmt in FORMATS}
    assert f"every AWS call in {named}" in texts["txt"]
    rows = [r for r in csv.DictReader(io.StringIO(texts["csv"])) if r["record"] == "journal"]
    assert [r["value"] for r in rows] == [named]
    assert json.loads(texts["json"])["journal"] == named
    assert f"- Journal of every AWS call: {named}" in texts["md"]
    assert not any("beside the case file" in text for text in texts.values())


def test_a_case_without_a_journal_says_so_and_copies_none(tmp_path: Path) -> None:
    session = CaseSession("archives", "", tmp_path)
    folder = tmp_path / "archives-export"
    write_exports(session.snapshot(), folder, session.path.stem, session.journal.path)
    session.close()
    assert not (folder / "archives.journal.jsonl").exists()
    assert json.loads((folder / "archives.json").read_text(encoding="utf-8"))["journal"] == (
        NO_JOURNAL
    )


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_headless_export_names_the_journal_by_its_absolute_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fmt: str
) -> None:
    """Printed to stdout, there is no folder beside it: the path says where it is."""
    _worked_case(tmp_path / "cases").close()
    monkeypatch.chdir(tmp_path)
    out, err = io.StringIO(), io.StringIO()
    assert export(CaseStore(Path("cases")), "incident", fmt, out, err) == 0, err.getvalue()
    journal = str(tmp_path.resolve() / "cases" / "incident.journal.jsonl")
    text = out.getvalue()
    if fmt == "json":
        assert json.loads(text)["journal"] == journal
    else:  # the report escapes the path's underscores, as it renders them
        assert (md(journal) if fmt == "md" else journal) in text
    assert "beside the case file" not in text


def test_an_export_that_fails_on_the_way_leaves_none_of_its_files(tmp_path: Path) -> None:
    """Responder review: a write failing midway (here files over 600 bytes refused,
    as a full disk refuses them: the JSON is the first that large) left the journal, txt
    and csv new in the folder, which looked like one whole export. Now none is left."""
    session = _worked_case(tmp_path)
    folder = tmp_path / "incident-export"
    limits = resource.getrlimit(resource.RLIMIT_FSIZE)
    resource.setrlimit(resource.RLIMIT_FSIZE, (600, limits[1]))
    try:
        with pytest.raises(OSError, match="too large"):
            write_exports(session.snapshot(), folder, session.path.stem, session.journal.path)
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, limits)
    session.close()
    assert list(folder.iterdir()) == []


def test_an_export_whose_disk_fills_at_the_sync_leaves_none_of_its_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Code review: some file systems (NFS, XFS's delayed allocation) report the full
    disk only at fsync; synced as each was renamed, the files renamed before the one
    refused stayed, beside the toast's 'nothing written'. Here the third sync fails."""
    session = _worked_case(tmp_path)
    folder = tmp_path / "incident-export"
    real, synced = os.fsync, []

    def fills_up(fd: int) -> None:
        synced.append(fd)
        if len(synced) == 3:
            raise OSError(28, "No space left on device")
        real(fd)

    monkeypatch.setattr(os, "fsync", fills_up)
    with pytest.raises(OSError, match="No space left"):
        write_exports(session.snapshot(), folder, session.path.stem, session.journal.path)
    monkeypatch.undo()
    session.close()
    assert [path.name for path in folder.iterdir()] == []
