"""Quitting the real app on a terminal: q ends the process, with status 0, and the
case's store file reopens with every event.

Run as a responder runs it: the ``awsir-tui`` process on a pseudo-terminal, keys typed
into it (the app freezes what is left for the interpreter's teardown, and closes its
store first: that a load's tidying ends before the close is tested in
``test_events_archive_close``).
"""

from __future__ import annotations

import os
import pty
import select
import subprocess
import sys
import time
from pathlib import Path

from awsir_tui.events.store import EventStore

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "cloudtrail"


def _read_until(master: int, wanted: bytes, seconds: float = 120) -> bytes:
    """What the app drew until ``wanted`` appears, the app closes the terminal, or the
    time is up."""
    seen = b""
    deadline = time.monotonic() + seconds
    while wanted not in seen and time.monotonic() < deadline:
        ready, _, _ = select.select([master], [], [], 0.5)
        if ready:
            try:
                data = os.read(master, 1 << 16)
            except OSError:  # the app closed the terminal
                break
            if not data:
                break
            seen += data
    return seen


def test_q_leaves_the_store_file_whole(tmp_path: Path) -> None:
    store = tmp_path / "case.duckdb"
    master, slave = pty.openpty()
    env = {**os.environ, "TERM": "xterm-256color", "XDG_DATA_HOME": str(tmp_path / "data"),
           "COLUMNS": "80", "LINES": "24"}
    process = subprocess.Popen(
        [sys.executable, "-m", "awsir_tui", "--source", str(DATA), "--store", str(store)],
        stdin=slave, stdout=slave, stderr=slave, env=env, close_fds=True,
    )
    os.close(slave)
    try:
        # The load's end (a q during it would ask again, by design).
        drawn = _read_until(master, b"loaded 310 events")
        assert b"loaded 310 events" in drawn, drawn[-2000:]
        os.write(master, b"q")
        _read_until(master, b"\0never drawn")  # read on: a full terminal would block it
        assert process.wait(timeout=60) == 0
    finally:
        if process.poll() is None:
            process.kill()
        os.close(master)
    assert not Path(f"{store}.wal").exists()
    with EventStore(store) as reopened:
        assert reopened.count() == 310
