"""A ``--source`` that holds no CloudTrail log beside one of logs is named (#5): ``events
--source GOOD --source EMPTY`` said nothing of EMPTY, and the responder handed two
folders believed both read, where one was a wrong path. The logs' events are all
there, and the status stays theirs (0): none is missing. Through the real command, on
real folders of a real log."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from awsir_tui.events.loader import NO_LOG
from tests.helpers_events import STEAL_CREDENTIALS, STRATUS
from tests.helpers_headless import run_cli

HELD_NO_LOG = "no CloudTrail log in this source"


def folders(tmp_path: Path) -> tuple[Path, Path, Path]:
    """A folder of one real log, an empty folder, and one of notes."""
    good, empty, notes = tmp_path / "good", tmp_path / "empty", tmp_path / "notes"
    for folder in (good, empty, notes):
        folder.mkdir()
    shutil.copy(STRATUS / f"{STEAL_CREDENTIALS}.json", good)
    (notes / "README.md").write_text("# what the responder was told\n")
    return good, empty, notes


def event_ids(out: str) -> set[str]:
    return {json.loads(line)["eventID"] for line in out.splitlines()}


def test_a_source_holding_no_log_beside_logs_is_named(tmp_path: Path) -> None:
    good, empty, notes = folders(tmp_path)
    code, alone, err = run_cli("events", "--source", str(good), "--format", "jsonl")
    assert code == 0 and HELD_NO_LOG not in err, err
    code, out, err = run_cli("events", "--source", str(good), "--source", str(empty),
                             "--source", str(notes), "--format", "jsonl")
    assert code == 0, err
    assert event_ids(out) == event_ids(alone) and len(event_ids(alone)) == 45
    assert f"awsir-tui: {empty}: {HELD_NO_LOG} (no file found)\n" in err, err
    assert f"awsir-tui: {notes}: {HELD_NO_LOG} (1 file, not a log)\n" in err, err
    assert f"{good}: {HELD_NO_LOG}" not in err and NO_LOG not in err, err


def test_the_export_coverage_names_it_and_stays_complete(tmp_path: Path) -> None:
    good, empty, _ = folders(tmp_path)
    out = tmp_path / "out.jsonl"
    code, _, err = run_cli("events", "--source", str(good), "--source", str(empty),
                           "--output", str(out))
    assert code == 0, err
    lines = out.with_name("out.jsonl.coverage.txt").read_text().splitlines()
    assert lines[0] == "coverage: COMPLETE", lines
    assert f"{HELD_NO_LOG}: {empty} (no file found)" in lines, lines
    assert len(out.read_text().splitlines()) == 45
