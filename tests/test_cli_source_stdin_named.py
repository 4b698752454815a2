"""An export's coverage names the pipe ``-``, as the messages do (#5, QA): its
``source:`` line said ``archive: /where/the/command/ran/-``, a file that is not there.
A file named ``-`` (typed ``./-``) is a file, named by its path."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.helpers_events import STEAL_CREDENTIALS, STRATUS, all_records
from tests.helpers_headless import run_cli
from tests.test_cli_source_stdin import awsir


def source_line(export: Path) -> str:
    coverage = export.with_name(export.name + ".coverage.txt").read_text()
    return next(line for line in coverage.splitlines() if line.startswith("source: "))


def test_an_export_of_a_pipe_names_it_dash(tmp_path: Path) -> None:
    piped = json.dumps({"Records": all_records()[:5]}).encode()
    folder = tmp_path / "case"
    folder.mkdir()
    shutil.copy(STRATUS / f"{STEAL_CREDENTIALS}.json", folder)
    out = tmp_path / "piped.jsonl"
    done = awsir("events", "--source", "-", "--output", str(out), given=piped)
    assert done.returncode == 0, done.stderr
    assert source_line(out) == "source: archive: -"
    out = tmp_path / "both.jsonl"
    done = awsir("events", "--source", "-", "--source", str(folder), "--output", str(out),
                 given=piped)
    assert done.returncode == 0, done.stderr
    assert source_line(out) == f"source: archive: -, {folder}"


def test_a_file_named_dash_is_named_by_its_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    shutil.copy(STRATUS / f"{STEAL_CREDENTIALS}.json", tmp_path / "-")
    code, _, err = run_cli("events", "--source", "./-", "--output", "out.jsonl")
    assert code == 0, err
    assert source_line(tmp_path / "out.jsonl") == f"source: archive: {tmp_path}/-"
