"""A load of what was piped in (``--source -``) into a ``--store`` file is kept as the
pipe, ``-`` (#5): it was kept under its temporary copy's path
(``/tmp/awsir-stdin-…/stdin``), a file nobody gave and gone once the command ended,
which the store reopened showed in its loads, its coverage and an export's. Through the
real command with a real pipe; and a later pipe does not stand for an earlier one."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from awsir_tui.events.load_history import StoredLoad, stored_loads, unsettled
from awsir_tui.events.loader import STDIN, LoadReport
from awsir_tui.events.store import EventStore
from tests.helpers_events import all_records
from tests.helpers_headless import run_cli
from tests.test_cli_source_stdin import awsir

TEMPORARY = "awsir-stdin-"


def test_a_pipe_loaded_into_a_store_is_kept_as_the_pipe(tmp_path: Path) -> None:
    store = tmp_path / "case.duckdb"
    piped = json.dumps({"Records": all_records()[:5]}).encode()
    done = awsir("events", "--source", "-", "--store", str(store), "--format", "jsonl",
                 given=piped)
    assert done.returncode == 0, done.stderr
    notes = b"notes of the case, not a log\n"
    done = awsir("events", "--source", "-", "--store", str(store), given=notes)
    assert done.returncode == 0, done.stderr
    with EventStore(store) as opened:
        loads = stored_loads(opened)
    assert [load.sources for load in loads] == [(STDIN,), (STDIN,)]
    assert [p.source for p in loads[1].report.ignored] == [STDIN]
    assert [p.source for p in loads[1].report.no_log] == [STDIN]
    out = tmp_path / "reopened.jsonl"
    code, _, err = run_cli("events", "--store", str(store), "--output", str(out))
    assert code == 0, err
    assert TEMPORARY not in err and "awsir-tui: kept from - (loaded " in err, err
    coverage = out.with_name("reopened.jsonl.coverage.txt").read_text()
    assert TEMPORARY not in coverage, coverage
    assert "earlier load: - (loaded " in coverage, coverage
    source = next(line for line in coverage.splitlines() if line.startswith("source: "))
    assert source.startswith("source: archive: a --store file reopened, holding the events "
                             "of its loads of - (loaded "), source


def test_a_later_pipe_does_not_settle_an_earlier_one() -> None:
    """Two pipes named alike hold what each was given: the later one read whole does
    not bring in what the earlier one, stopped with the app, left out."""
    at = datetime(2026, 1, 1, tzinfo=UTC)
    stopped = StoredLoad(at, (STDIN,), LoadReport(cancelled=True, unfinished=True))
    whole = StoredLoad(at, (STDIN,), LoadReport(files_read=1, events=5))
    assert unsettled([stopped, whole]) == [stopped]
