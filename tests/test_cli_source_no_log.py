"""A ``--source`` that holds no file at all (an empty folder, a wrong one, an empty
prefix of the trail bucket) answers nothing, as an empty pipe does (#5, QA): it said
"loaded 0 events from 0 files" and exited 0, which at 3 a.m. reads as "the attacker did
nothing". Through the real commands, on real folders and the demo's bucket over HTTP."""

from __future__ import annotations

import gzip
import subprocess
import sys
from pathlib import Path

import pytest

from awsir_tui.commands.output import PARTLY_ANSWERED
from awsir_tui.demo.server import DemoServer, environment
from tests.helpers_events import STEAL_CREDENTIALS, STRATUS
from tests.helpers_headless import run_cli

NO_LOG = "no CloudTrail log among the sources"


@pytest.mark.parametrize("command", ["events", "findings"])
@pytest.mark.parametrize("nested", [False, True])
def test_a_folder_holding_no_file_answers_nothing(
    tmp_path: Path, command: str, nested: bool
) -> None:
    folder = tmp_path / "case"
    (folder / "AWSLogs" / "123456789012" if nested else folder).mkdir(parents=True)
    code, _, err = run_cli(command, "--source", str(folder), "--format", "jsonl")
    assert code == 1, err
    assert NO_LOG in err, err


def test_files_not_read_keep_their_own_status(tmp_path: Path) -> None:
    """A log read beside a broken one answered in part (3); a folder that does not exist
    is said as such (1), not as one holding no log."""
    (tmp_path / "empty").mkdir()
    log = (STRATUS / f"{STEAL_CREDENTIALS}.json").read_bytes()
    (tmp_path / "logs").mkdir()
    (tmp_path / "logs" / "a.json.gz").write_bytes(gzip.compress(log))
    (tmp_path / "logs" / "b.json.gz").write_bytes(gzip.compress(log)[:200])
    code, _, err = run_cli("events", "--source", str(tmp_path / "logs"),
                           "--source", str(tmp_path / "empty"), "--format", "jsonl")
    assert code == PARTLY_ANSWERED and NO_LOG not in err, err
    code, _, err = run_cli("events", "--source", str(tmp_path / "nowhere"),
                           "--source", str(tmp_path / "empty"))
    assert code == 1 and "no such file or folder" in err and NO_LOG not in err, err


def test_a_prefix_of_the_bucket_with_no_object_answers_nothing(
    demo: DemoServer, tmp_path: Path
) -> None:
    """An account the trail never delivered for. The same bucket read for a time it
    holds no log of still answers with none: its discovery does not list the days
    outside the range, so it cannot tell that they hold logs."""
    facts = demo.facts

    def events(source: str, *more: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "awsir_tui", "--endpoint-url", demo.endpoint_url,
             "--source", source, "events", "--format", "jsonl", *more],
            capture_output=True, text=True, timeout=300, check=False,
            env={**environment(demo), "PATH": "/usr/bin:/bin",
                 "XDG_CACHE_HOME": str(tmp_path)},
        )

    other = "000000000000" if facts.account_id != "000000000000" else "111111111111"
    done = events(f"s3://{facts.trail_bucket}/AWSLogs/{other}/")
    assert done.returncode == 1 and NO_LOG in done.stderr, done.stderr
    done = events(f"s3://{facts.trail_bucket}", "--before", "2000-01-01")
    assert done.returncode == 0 and NO_LOG not in done.stderr, done.stderr
