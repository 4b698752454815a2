"""``awsir-tui events --filter name:runinst`` on the first run with a botocore version,
when no catalogue of event names is cached yet, sends RunInstances (#5).

The command planned with the names at hand, as the viewer does on its UI thread, so a
first run completed nothing: ``name:runinst`` read every event of 90 days at 2 calls/s.
A command has no UI thread to keep free: it reads botocore's models first, and says so.
Each run here is a process of its own, as a user's is, with an XDG cache of its own.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from awsir_tui.demo.server import DemoServer

READING = "awsir-tui: reading the event names from botocore's models"
SENT = "On AWS: EventName = RunInstances (from name:runinst, the one known name holding it)"


def events(demo: DemoServer, cache: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """``awsir-tui events ARGS`` against the demo, in a new process caching in ``cache``;
    checked to have read every region (exit 0)."""
    ran = subprocess.run(
        [sys.executable, "-m", "awsir_tui", "events", "--regions", ",".join(demo.regions),
         "--endpoint-url", demo.endpoint_url, *args],
        env={**os.environ, "XDG_CACHE_HOME": str(cache)}, stdin=subprocess.DEVNULL,
        capture_output=True, text=True, timeout=300, check=False,
    )
    assert ran.returncode == 0, ran.stderr
    return ran


def test_a_start_of_a_name_is_sent_whole_on_the_first_run(
    demo: DemoServer, tmp_path: Path
) -> None:
    cache = tmp_path / "cache"
    first = events(demo, cache, "--filter", "name:runinst", "--format", "jsonl")
    err = first.stderr.splitlines()
    assert [line for line in err if line.startswith(READING)] == [
        f"{READING} (the first run with this botocore; some seconds)"], err
    assert any(line.startswith(f"awsir-tui: {SENT}") for line in err), err
    names = {json.loads(line)["eventName"] for line in first.stdout.splitlines()}
    assert names == {"RunInstances"}, names
    # The names were cached: the next run reads them back and says nothing of them.
    again = events(demo, cache, "--filter", "name:runinst", "--format", "jsonl")
    assert READING not in again.stderr
    assert f"awsir-tui: {SENT}" in again.stderr
    assert again.stdout == first.stdout


def test_an_exact_name_does_not_wait_for_the_names(demo: DemoServer, tmp_path: Path) -> None:
    """Botocore's models are read only for a term the planner may complete (``name:``
    meaning "contains"): ``name:=RunInstances`` is sent as typed, with no wait."""
    ran = events(demo, tmp_path, "--filter", "name:=RunInstances", "--format", "jsonl")
    assert READING not in ran.stderr
    assert ran.stdout
    assert not any(tmp_path.rglob("event-names-*"))
