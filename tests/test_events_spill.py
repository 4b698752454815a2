"""A killed session's spill is removed when the next store opens (events/spill.py).

The sessions here are real processes that spill a transaction's blocks beyond a small
memory limit, as a load does, and are then killed (SIGKILL: nothing of theirs runs,
as when an SSH connection drops under them)."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from awsir_tui.events.store import EventStore

#: A session that opens the store (``argv[1]``, or in memory), spills, says so, waits.
SPILLER = """
import sys, time
from awsir_tui.events.store import EventStore
store = EventStore(sys.argv[1] or None, memory_limit="32MB", load_memory_limit="32MB")
cursor = store.cursor()
cursor.execute("BEGIN TRANSACTION")
cursor.execute("CREATE TABLE big AS SELECT repeat('x', 2000) || i::VARCHAR AS v "
               "FROM range(100000) t(i)")
print("spilled", flush=True)
time.sleep(120)
"""


def killed_while_spilling(store: str, tmp: Path) -> None:
    """Run a session on ``store`` ("" in memory) with ``tmp`` as its temporary
    directory, and kill it once it has spilled."""
    session = subprocess.Popen(
        [sys.executable, "-c", SPILLER, store], stdout=subprocess.PIPE, text=True,
        env={**os.environ, "TMPDIR": str(tmp)})
    try:
        assert session.stdout is not None and session.stdout.readline() == "spilled\n"
    finally:
        session.kill()
        session.wait()


def spill_files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.rglob("duckdb_temp_*"))


def test_a_store_file_reopened_removes_the_spill_of_the_session_killed_on_it(
    tmp_path: Path,
) -> None:
    path = tmp_path / "case.duckdb"
    killed_while_spilling(str(path), tmp_path)
    left = spill_files(tmp_path / "case.duckdb.tmp")
    assert any(name.endswith(".tmp") for name in left)  # it did spill
    with EventStore(path):
        assert spill_files(tmp_path / "case.duckdb.tmp") == []


def test_a_store_in_memory_removes_the_folders_of_sessions_killed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    killed_while_spilling("", tmp_path)
    [left] = tmp_path.glob("awsir-store-*")
    assert spill_files(left)
    host = left.name.split("-")[2]
    # What stays: a running session's folder (this process's own, and another's); a dead
    # process's of another machine sharing the folder (its IDs say nothing here); a
    # symbolic link named as a spill (and what it points to).
    running = tmp_path / f"awsir-store-{host}-{os.getppid()}-kept"
    running.mkdir()
    elsewhere = tmp_path / f"awsir-store-otherhost-{left.name.split('-')[3]}-kept"
    elsewhere.mkdir()
    target = tmp_path / "evidence"
    target.mkdir()
    link = tmp_path / f"awsir-store-{host}-{left.name.split('-')[3]}-link"
    link.symlink_to(target)
    with EventStore():
        folders = sorted(p.name for p in tmp_path.glob("awsir-store-*"))
        assert left.name not in folders
        kept = {running.name, elsewhere.name, link.name}
        [own] = [name for name in folders if name not in kept]
        assert kept <= set(folders) and target.is_dir()
        assert own.startswith(f"awsir-store-{host}-{os.getpid()}-")
