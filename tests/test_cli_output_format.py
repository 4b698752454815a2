"""``events --output FILE`` without ``--format`` writes the format FILE's name asks for
(through the real command, over the real logs of ../shared/data): ``--output
events.csv`` alone wrote the terminal's table into it, which a spreadsheet, ``jq`` or
the next responder's script could not read."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from tests.helpers_events import STRATUS
from tests.helpers_headless import run_cli


def export(tmp_path: Path, name: str, *more: str) -> str:
    """``events --source STRATUS --output NAME MORE``: the file's text."""
    path = tmp_path / name
    code, out, err = run_cli("events", "--source", str(STRATUS), "--filter",
                             "name:GetCallerIdentity", "--output", str(path), *more)
    assert code == 0 and out == "", err
    return path.read_text()


def test_a_csv_name_writes_csv(tmp_path: Path) -> None:
    rows = list(csv.DictReader(export(tmp_path, "events.CSV").splitlines()))
    assert rows and {row["event"] for row in rows} == {"GetCallerIdentity"}


@pytest.mark.parametrize("name", ["events.jsonl", "events.ndjson"])
def test_a_json_lines_name_writes_one_record_a_line(tmp_path: Path, name: str) -> None:
    records = [json.loads(line) for line in export(tmp_path, name).splitlines()]
    assert records and {r["eventName"] for r in records} == {"GetCallerIdentity"}


def test_a_json_name_writes_one_document(tmp_path: Path) -> None:
    records = json.loads(export(tmp_path, "events.json"))
    assert records and {r["eventName"] for r in records} == {"GetCallerIdentity"}


def test_format_given_wins_and_another_name_gets_the_table(tmp_path: Path) -> None:
    assert json.loads(export(tmp_path, "a.csv", "--format", "jsonl").splitlines()[0])
    table = export(tmp_path, "events.txt").splitlines()
    assert table[0].split()[:3] == ["time", "region", "event"]
