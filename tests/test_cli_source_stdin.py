"""``--source -`` reads what is piped in (``aws cloudtrail lookup-events … | awsir-tui
events --source -``), through the real command in a child process with a real pipe:
``/dev/stdin`` was a named pipe, not read."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.helpers_events import all_records, lookup_item

RECORDS = all_records()[:30]


def awsir(*args: str, given: bytes | None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-m", "awsir_tui", *args], input=given,
                          capture_output=True, timeout=120, check=False)


def test_piped_lookup_events_output_is_read() -> None:
    piped = json.dumps({"Events": [lookup_item(r) for r in RECORDS]}).encode()
    done = awsir("events", "--source", "-", "--format", "jsonl", given=piped)
    assert done.returncode == 0, done.stderr
    assert {json.loads(line)["eventID"] for line in done.stdout.splitlines()} == {
        r["eventID"] for r in RECORDS}


def test_findings_read_piped_records_too() -> None:
    piped = json.dumps({"Records": all_records()}).encode()
    done = awsir("findings", "--source", "-", "--format", "json", given=piped)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout), "the Stratus records hold findings"


def test_the_app_refuses_a_pipe_for_its_source() -> None:
    done = awsir("--source", "-", given=b"{}")
    assert done.returncode == 2
    assert b"read by the events, findings and stack commands, not by the app" in done.stderr


def test_a_terminal_for_stdin_is_refused_not_waited_on() -> None:
    """Nothing piped in: it waited for typing, in silence."""
    import os

    leader, follower = os.openpty()
    try:
        done = subprocess.run([sys.executable, "-m", "awsir_tui", "events", "--source", "-"],
                              stdin=follower, capture_output=True, timeout=60, check=False)
    finally:
        os.close(leader)
        os.close(follower)
    assert done.returncode == 2
    assert b"--source - reads what is piped in, and nothing is" in done.stderr


def test_a_closed_stdin_and_another_command_are_refused_plainly() -> None:
    """A closed stdin crashed (AttributeError); verify was told 'not by the app'."""
    closed = subprocess.run([sys.executable, "-m", "awsir_tui", "events", "--source", "-"],
                            stdin=subprocess.DEVNULL, capture_output=True, timeout=60,
                            check=False, preexec_fn=lambda: __import__("os").close(0))
    assert closed.returncode == 2, closed.stderr
    assert b"--source - reads what is piped in, and nothing is" in closed.stderr
    done = awsir("verify", "--source", "-", given=b"{}")
    assert done.returncode == 2
    assert b"not by verify" in done.stderr


def test_a_pipe_named_twice_is_read_once() -> None:
    piped = json.dumps({"Records": RECORDS}).encode()
    done = awsir("events", "--source", "-", "--source", "-", "--format", "jsonl",
                 given=piped)
    assert done.returncode == 0, done.stderr
    assert b"(30 new) from 1 file" in done.stderr, done.stderr


def test_an_empty_or_foreign_pipe_is_named_dash_and_answers_nothing() -> None:
    """It exited 0, as if the archive held no matching event, and named a temporary
    file (``/tmp/awsir-stdin-…/stdin``) gone once the command ended."""
    for piped, why in ((b"", b"-: empty file"), (b"garbage", b"-: not JSON")):
        done = awsir("events", "--source", "-", given=piped)
        assert done.returncode == 1, done.stderr
        assert why in done.stderr and b"awsir-stdin" not in done.stderr, done.stderr
        assert b"no CloudTrail log among the sources" in done.stderr


def test_an_export_s_coverage_names_the_pipe_dash(tmp_path: Path) -> None:
    """The coverage file beside the export named the pipe's temporary copy."""
    out = tmp_path / "out.json"
    done = awsir("events", "--source", "-", "--output", str(out), given=b"garbage")
    assert done.returncode == 1, done.stderr
    coverage = out.with_name("out.json.coverage.txt").read_text()
    assert "not a log: -" in coverage and "awsir-stdin" not in coverage, coverage
