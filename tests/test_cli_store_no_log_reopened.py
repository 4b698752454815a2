"""A ``--store`` file whose loads found no CloudTrail log says NO LOG when reopened, as
the session that loaded it did (#5): reopened alone it said "coverage: COMPLETE" beside
0 events and exited 0, which the colleague handed the case file reads as "the archive
holds no matching event". Through the real command, on real folders and files."""

from __future__ import annotations

import shutil
from pathlib import Path

from awsir_tui.events.loader import NO_LOG
from tests.helpers_events import STEAL_CREDENTIALS, STRATUS
from tests.helpers_headless import run_cli


def verdict(export: Path) -> str:
    return export.with_name(export.name + ".coverage.txt").read_text().splitlines()[0]


def test_a_store_whose_only_load_found_no_log_says_so_reopened(tmp_path: Path) -> None:
    empty, store = tmp_path / "empty", str(tmp_path / "case.duckdb")
    empty.mkdir()
    code, _, err = run_cli("events", "--source", str(empty), "--store", store, "--format",
                           "jsonl")
    assert code == 1 and NO_LOG in err, err
    out = tmp_path / "reopened.jsonl"
    code, _, err = run_cli("events", "--store", store, "--output", str(out))
    assert code == 1, err
    assert f"awsir-tui: {NO_LOG}\n" in err, err
    assert verdict(out) == f"coverage: NO LOG: {NO_LOG}"
    code, _, err = run_cli("findings", "--store", store, "--format", "jsonl")
    assert code == 1 and NO_LOG in err, err
    # Another empty source into it: still no log anywhere, not the earlier loads' rows.
    out = tmp_path / "again.jsonl"
    code, _, err = run_cli("events", "--source", str(empty), "--store", store,
                           "--output", str(out))
    assert code == 1, err
    assert verdict(out) == f"coverage: NO LOG: {NO_LOG}"


def test_a_store_with_a_load_of_logs_stays_complete_reopened(tmp_path: Path) -> None:
    """Its empty folder's load beside it leaves the logs' events to answer."""
    empty, logs, store = tmp_path / "empty", tmp_path / "logs", str(tmp_path / "case.duckdb")
    empty.mkdir()
    logs.mkdir()
    shutil.copy(STRATUS / f"{STEAL_CREDENTIALS}.json", logs)
    assert run_cli("events", "--source", str(empty), "--store", store)[0] == 1
    assert run_cli("events", "--source", str(logs), "--store", store)[0] == 0
    out = tmp_path / "reopened.jsonl"
    code, _, err = run_cli("events", "--store", store, "--output", str(out))
    assert code == 0 and NO_LOG not in err, err
    assert verdict(out) == "coverage: COMPLETE"
    assert len(out.read_text().splitlines()) == 45
