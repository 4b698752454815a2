"""Files of a ``--source`` folder the load leaves out are named in its report, with why,
through the real command: a hidden file named as a log and a named pipe were left out
without a word, and the export of the rest said COMPLETE."""

from __future__ import annotations

import json
import os
from pathlib import Path

from awsir_tui.commands.output import PARTLY_ANSWERED
from tests.helpers_events import all_records
from tests.helpers_headless import run_cli


def test_a_hidden_log_and_a_pipe_are_named_as_not_read(tmp_path: Path) -> None:
    records = all_records()
    logs = tmp_path / "logs"
    logs.mkdir()
    (logs / "logs.json").write_text(json.dumps(records[:100]))
    (logs / ".hidden.json").write_text(json.dumps(records[100:]))
    (logs / ".DS_Store").write_bytes(b"\0\0\0\1Bud1")  # no log: left out in silence
    os.mkfifo(logs / "pipe.json")
    output = tmp_path / "out.jsonl"
    code, out, err = run_cli("--source", str(logs), "events", "--format", "jsonl",
                             "--output", str(output))
    assert code == PARTLY_ANSWERED and out == "", err  # the rest written, PARTIAL
    said = {
        f"awsir-tui: {logs}/.hidden.json: a hidden file (its name begins with '.'): not read",
        f"awsir-tui: {logs}/pipe.json: a named pipe, not a file: not read",
    }
    assert said <= set(err.splitlines())
    assert ".DS_Store" not in err
    assert "(PARTIAL: 2 files not read whole)" in err
    coverage = Path(f"{output}.coverage.txt").read_text()
    assert f"file skipped: {logs}/.hidden.json: a hidden file" in coverage
    assert f"file skipped: {logs}/pipe.json: a named pipe, not a file: not read" in coverage
    assert len(output.read_text().splitlines()) == 100
