"""A ``--store`` file whose load left a file unread answers in part when reopened: its
coverage said PARTIAL and it exited 0 (responder review), so a script gating on the
exit status took the partial evidence for all of it. Through the real command, on a
folder of a real log and a damaged one."""

from __future__ import annotations

import gzip
import shutil
from pathlib import Path

from awsir_tui.commands.output import PARTLY_ANSWERED
from tests.helpers_events import STEAL_CREDENTIALS, STRATUS
from tests.helpers_headless import run_cli


def _folder_with_a_damaged_file(folder: Path) -> Path:
    folder.mkdir()
    log = STRATUS / f"{STEAL_CREDENTIALS}.json"
    shutil.copy(log, folder)
    whole = gzip.compress(log.read_bytes())
    damaged = folder / "cut.json.gz"
    damaged.write_bytes(whole[:20])
    return damaged


def verdict(export: Path) -> str:
    return export.with_name(export.name + ".coverage.txt").read_text().splitlines()[0]


def test_a_store_reopened_after_a_load_that_skipped_a_file_exits_partly_answered(
        tmp_path: Path) -> None:
    logs, store = tmp_path / "logs", str(tmp_path / "case.duckdb")
    damaged = _folder_with_a_damaged_file(logs)
    assert run_cli("events", "--source", str(logs), "--store", store)[0] == PARTLY_ANSWERED

    out = tmp_path / "reopened.csv"
    code, _, err = run_cli("events", "--store", store, "--filter", "name:SendCommand",
                           "--output", str(out))
    assert code == PARTLY_ANSWERED, err
    assert verdict(out).startswith("coverage: PARTIAL")
    assert run_cli("findings", "--store", store, "--format", "jsonl")[0] == PARTLY_ANSWERED

    # The damaged file put right and the folder read whole again: the store is whole.
    damaged.unlink()
    assert run_cli("events", "--source", str(logs), "--store", store)[0] == 0
    out = tmp_path / "settled.csv"
    code, _, err = run_cli("events", "--store", store, "--output", str(out))
    assert code == 0, err
    assert verdict(out) == "coverage: COMPLETE"
