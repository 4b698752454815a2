"""A log or an Event history export saved as UTF-16 or UTF-32 is read: Windows
PowerShell's ``Out-File`` and ``>`` write UTF-16 with a byte order mark, and such a
file was called "binary content" and not read (the real Stratus records of
../shared/data, written the ways a responder's tools write them)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from awsir_tui.events.files import read_file
from tests.helpers_events import all_records, lookup_item
from tests.helpers_headless import run_cli

RECORDS = all_records()[:40]


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-32"])
@pytest.mark.parametrize("shape", ["Records", "Events"])
def test_wide_text_is_read_as_the_same_events(tmp_path: Path, encoding: str,
                                              shape: str) -> None:
    """With its byte order mark (utf-16, utf-32) or without (-le, -be)."""
    document = ({"Records": RECORDS} if shape == "Records"
                else {"Events": [lookup_item(record) for record in RECORDS]})
    path = tmp_path / "export.json"
    path.write_bytes(json.dumps(document, indent=2).encode(encoding))
    result = read_file(path)
    assert not result.problem, result.problem
    assert [e.event_id for e in result.events] == [r["eventID"] for r in RECORDS]
    assert "UTF-" in result.format


def test_a_utf16_file_cut_short_keeps_the_records_before_the_cut(tmp_path: Path) -> None:
    """An odd byte at the end (a copy cut short) is damage said, not binary."""
    path = tmp_path / "cut.json"
    lines = "\n".join(json.dumps(record) for record in RECORDS)
    path.write_bytes(lines.encode("utf-16")[:-7])
    result = read_file(path)
    assert len(result.events) == len(RECORDS) - 1
    assert result.problem and "binary" not in result.problem


def test_the_command_loads_a_powershell_export(tmp_path: Path) -> None:
    logs = tmp_path / "logs"
    logs.mkdir()
    (logs / "lookup.json").write_bytes(
        json.dumps({"Events": [lookup_item(r) for r in RECORDS]}).encode("utf-16"))
    code, out, err = run_cli("events", "--source", str(logs), "--format", "jsonl")
    assert code == 0, err
    assert {json.loads(line)["eventID"] for line in out.splitlines()} == {
        r["eventID"] for r in RECORDS}


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_wide_text_without_a_mark_after_blank_lines_is_read(tmp_path: Path,
                                                          encoding: str) -> None:
    """A blank line before the document: it was called binary content, to unpack."""
    path = tmp_path / "export.json"
    path.write_bytes(("\r\n  " + json.dumps({"Records": RECORDS})).encode(encoding))
    result = read_file(path)
    assert not result.problem, result.problem
    assert [e.event_id for e in result.events] == [r["eventID"] for r in RECORDS]
