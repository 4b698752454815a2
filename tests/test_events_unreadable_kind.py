"""A source that gave nothing is told from a damaged log by the kind the loader tags it
with where it finds it (#5, code review), never by the words of its reason: the app
matched "no such file or folder" (a second copy of the loader's words, so a rewording
turned NO SUCH PATH back into "1 file not read whole") and the OS's "Permission denied".

Run as root here, which no permission stops: the sources that cannot be read are ones
the OS refuses to anyone, a named pipe given as the source (it cannot be listed as a
folder, nor read as a file) and ``/proc/self/mem``, a file whose read fails (EIO).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from awsir_tui.events.load_history import stored_loads
from awsir_tui.events.loader import LoadReport, load
from awsir_tui.events.s3archive import MISSING, UNREADABLE
from awsir_tui.events.store import EventStore
from awsir_tui.events.unreadable import (
    CANNOT_READ,
    NO_SUCH_PATH,
    files_not_read_whole,
    unreadable_sources,
)
from tests.helpers_events import STEAL_CREDENTIALS, STRATUS


def loaded(sources: list[str]) -> LoadReport:
    with EventStore() as store:
        return load(sources, store)


@pytest.fixture
def logs(tmp_path: Path) -> Path:
    """A folder of real logs (one Stratus technique)."""
    folder = tmp_path / "logs"
    folder.mkdir()
    shutil.copy(STRATUS / f"{STEAL_CREDENTIALS}.json", folder)
    return folder


def test_a_missing_source_is_tagged_missing_and_said_no_such_path(
    tmp_path: Path, logs: Path,
) -> None:
    missing = str(tmp_path / "nosuchdir")
    report = loaded([str(logs), missing])
    [problem] = report.skipped
    assert (problem.source, problem.kind) == (missing, MISSING)
    [gone] = unreadable_sources(report, [str(logs), missing])
    assert gone.said() == f"{NO_SUCH_PATH} {missing}"
    assert files_not_read_whole(report, [str(logs), missing]) == 0


def test_a_missing_path_is_said_only_of_the_sources_named(tmp_path: Path, logs: Path) -> None:
    """Asked of other sources (those of another load), the path missing is none of
    them: NO SUCH PATH skipped the check that CANNOT READ made."""
    report = loaded([str(logs), str(tmp_path / "nosuchdir")])
    assert unreadable_sources(report, [str(logs)]) == []
    assert files_not_read_whole(report, [str(logs)]) == 1


def test_a_pipe_given_as_the_source_is_tagged_unreadable_and_said_cannot_read(
    tmp_path: Path, logs: Path,
) -> None:
    pipe = tmp_path / "handed-over"
    os.mkfifo(pipe)
    report = loaded([str(logs), str(pipe)])
    [problem] = report.skipped
    assert (problem.source, problem.kind) == (str(pipe), UNREADABLE)
    [gone] = unreadable_sources(report, [str(logs), str(pipe)])
    assert gone.said() == f"{CANNOT_READ} {pipe}"
    assert files_not_read_whole(report, [str(logs), str(pipe)]) == 0


def test_a_named_file_the_os_will_not_read_is_tagged_unreadable(logs: Path) -> None:
    named = "/proc/self/mem"  # a regular file whose first read fails, for root too
    report = loaded([str(logs), named])
    [problem] = report.skipped
    assert (problem.source, problem.kind) == (named, UNREADABLE)
    assert [gone.word for gone in unreadable_sources(report, [str(logs), named])] == [
        CANNOT_READ]


def test_a_damaged_log_among_the_logs_is_not_a_source_that_gave_nothing(logs: Path) -> None:
    """A pipe inside the folder named (not named itself) is a part of it not read."""
    os.mkfifo(logs / "stream.json")
    report = loaded([str(logs)])
    [problem] = report.skipped
    assert problem.kind == ""
    assert unreadable_sources(report, [str(logs)]) == []
    assert files_not_read_whole(report, [str(logs)]) == 1


def test_a_store_reopened_keeps_the_kind(tmp_path: Path, logs: Path) -> None:
    """The report kept in a ``--store`` file reads back with its kinds: a case reopened
    says NO SUCH PATH as the session that loaded it did."""
    missing = str(tmp_path / "nosuchdir")
    with EventStore(tmp_path / "case.duckdb") as store:
        load([str(logs), missing], store)
    with EventStore(tmp_path / "case.duckdb") as store:
        [kept] = stored_loads(store)
    assert kept.recorded
    assert [gone.word for gone in unreadable_sources(kept.report, list(kept.sources))] == [
        NO_SUCH_PATH]
