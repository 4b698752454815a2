"""An export of a load that found no CloudTrail log says so in its coverage file (#5,
QA): ``events --source EMPTY --output out.jsonl`` exited 1 and said "no CloudTrail log
among the sources" on stderr, but wrote "coverage: COMPLETE" beside 0 events, which the
responder handed the export reads as "the archive held no matching event"."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from awsir_tui.events.coverage import archive_coverage
from awsir_tui.events.loader import LoadReport
from tests.helpers_events import STEAL_CREDENTIALS, STRATUS
from tests.helpers_headless import run_cli

NO_LOG = "NO LOG: no CloudTrail log among the sources"


@pytest.mark.parametrize("holding", ["nothing", "no log"])
def test_an_export_of_a_folder_holding_no_log_says_no_log(tmp_path: Path, holding: str) -> None:
    folder = tmp_path / "case"
    folder.mkdir()
    if holding == "no log":
        (folder / "README.txt").write_text("notes of the case\n")
    out = tmp_path / "out.jsonl"
    code, _, err = run_cli("events", "--source", str(folder), "--output", str(out))
    assert code == 1, err
    coverage = out.with_name("out.jsonl.coverage.txt").read_text()
    assert coverage.splitlines()[0] == f"coverage: {NO_LOG}", coverage
    assert f"0 events written to {out} ({NO_LOG})" in err, err


def test_an_export_of_a_folder_of_logs_stays_complete(tmp_path: Path) -> None:
    folder = tmp_path / "case"
    folder.mkdir()
    shutil.copy(STRATUS / f"{STEAL_CREDENTIALS}.json", folder)
    out = tmp_path / "out.jsonl"
    code, _, err = run_cli("events", "--source", str(folder), "--output", str(out))
    assert code == 0, err
    assert out.with_name("out.jsonl.coverage.txt").read_text().startswith(
        "coverage: COMPLETE\n")


def test_a_load_cancelled_before_any_file_is_partial_not_no_log(tmp_path: Path) -> None:
    """The app's C before the first file was read: the load did not look at them all."""
    report = LoadReport(cancelled=True, not_reached=3)
    coverage = archive_coverage([str(tmp_path)], "", "run on the store", report=report)
    assert coverage.state() == "PARTIAL", coverage.verdict()
    assert coverage.verdict() == "PARTIAL: the load was cancelled (3 files not reached)"


def test_an_empty_source_beside_a_store_of_earlier_loads_exports_them_partial(
    tmp_path: Path,
) -> None:
    """``--store s.duckdb --source EMPTY``: the store's earlier loads answer, their
    events are written, so not NO LOG and not exit 1 (a review: 45 events written under
    "NO LOG", exit 1); the coverage still says this run's source held no log."""
    logs, empty = tmp_path / "logs", tmp_path / "empty"
    logs.mkdir()
    empty.mkdir()
    shutil.copy(STRATUS / f"{STEAL_CREDENTIALS}.json", logs)
    store = str(tmp_path / "case.duckdb")
    code, _, err = run_cli("events", "--store", store, "--source", str(logs), "--limit", "1")
    assert code == 0, err
    out = tmp_path / "out.jsonl"
    code, _, err = run_cli("events", "--store", store, "--source", str(empty),
                           "--output", str(out))
    assert code == 0, err
    assert "no CloudTrail log among the sources" in err
    written = out.read_text().splitlines()
    assert written
    verdict = out.with_name("out.jsonl.coverage.txt").read_text().splitlines()[0]
    assert verdict == ("coverage: PARTIAL: this run's sources: no CloudTrail log among the "
                       "sources (the rows are earlier loads')"), verdict
