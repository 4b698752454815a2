"""The headless ``table`` format: identifiers whole, one record a line when piped, the
terminal's width when it is one (a real pseudo-terminal, over the demo account)."""

from __future__ import annotations

import contextlib
import io
import json
from pathlib import Path

from rich.cells import cell_len

from awsir_tui.cli import main
from awsir_tui.commands.output import Fit, cell_parts, table_lines
from awsir_tui.demo.server import DemoServer
from tests.helpers_events import STEAL_CREDENTIALS, stratus_files
from tests.helpers_headless import run_on_terminal

HEADERS = ["time", "event", "user", "access_key", "resources", "event_id"]
FITS = {"event": Fit(20, 64), "resources": Fit(24, 1000)}
KEY = "ASIAWIK2TCOWRZ7H4QSU"
EVENT_ID = "5b5c769a-6463-46ea-ac8b-7d1ab67978bd"
RESOURCES = [f"arn:aws:ec2:eu-west-1:123456789012:instance/i-0{n:016x}" for n in range(6)]


def row(event: str, resources: list[str] | None = None) -> list[tuple[str, ...]]:
    values: list[object] = ["2026-11-29T10:08:23Z", event, "i-b2547952490b7fe51", KEY,
                            resources or [], EVENT_ID]
    return [cell_parts(value) for value in values]


def run_in_process(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(args))
    return code, out.getvalue(), err.getvalue()


def test_piped_a_record_is_one_line_and_nothing_is_cut() -> None:
    """A 3,000-character event name is written whole (a cut hides what a ``grep``
    looks for) and pushes only its own line's columns right."""
    lines = list(table_lines(HEADERS, [row("X" * 3000, RESOURCES), row("RunInstances")],
                             FITS, None))
    assert len(lines) == 3
    hostile = lines[1]
    assert "X" * 3000 in hostile and "\u2026" not in "".join(lines)
    for line in lines[1:]:
        assert KEY in line and EVENT_ID in line and "i-b2547952490b7fe51" in line
    assert ", ".join(RESOURCES) in hostile  # piped, the list is whole
    assert lines[0].index("event_id") == lines[2].index(EVENT_ID)  # still a table


def test_on_a_narrow_terminal_identifiers_stay_whole_and_lines_fit() -> None:
    lines = list(table_lines(HEADERS, [row("X" * 3000, RESOURCES)], FITS, 80))
    assert all(cell_len(line) <= 80 for line in lines), lines
    text = "\n".join(lines)
    for identifier in (KEY, EVENT_ID, "i-b2547952490b7fe51", RESOURCES[0]):
        assert identifier in text
    # A list is cut between items only: whole ARNs, and how many are not shown.
    shown = [r for r in RESOURCES if r in text]
    assert shown and f"\u2026 ({len(RESOURCES) - len(shown)} more)" in text
    starts = [i for i in range(len(text)) if text.startswith("arn:", i)]
    assert len(starts) == len(shown)
    assert all(text[i : i + len(RESOURCES[0])] in RESOURCES for i in starts)
    # A record's further lines are indented, so where each one begins is plain.
    assert len(lines) % 2 == 0
    record = lines[len(lines) // 2 :]
    assert not record[0].startswith(" ") and all(line.startswith("    ") for line in record[1:])


def test_events_table_piped_from_an_archive_keeps_each_record_on_one_line(
    tmp_path: Path,
) -> None:
    records = stratus_files()[STEAL_CREDENTIALS]
    hostile = dict(records[0], eventName="Describe" + "X" * 3000, eventID="hostile-event-id")
    (tmp_path / "log.json").write_text(json.dumps({"Records": [hostile, *records]}))
    code, out, err = run_in_process("events", "--source", str(tmp_path))
    assert code == 0, err
    lines = out.splitlines()
    assert len(lines) == 1 + 1 + len(records)
    for record in [hostile, *records]:
        [line] = [line for line in lines if record["eventID"] in line]
        key = record["userIdentity"].get("accessKeyId")
        assert key is None or key in line
    [long_line] = [line for line in lines if "hostile-event-id" in line]
    assert hostile["eventName"] in long_line  # whole, not cut with an ellipsis
    assert max(len(line) for line in lines if line != long_line) < 400  # not widened


def test_instances_on_an_80_column_terminal(demo: DemoServer) -> None:
    """Every instance ID whole on the terminal, no line wider than it (the terminal
    would fold it mid-field), and the same IDs as JSON gives."""
    where = ["--endpoint-url", demo.endpoint_url, "--regions", ",".join(demo.regions)]
    code, out, err = run_in_process("instances", "--format", "json", *where)
    assert code == 0, err
    ids = [instance["InstanceId"] for instance in json.loads(out)]
    ran = run_on_terminal(["instances", *where], 80)
    assert ran.code == 0, ran.err
    shown = ran.out
    lines = shown.splitlines()
    assert lines and all(cell_len(line) <= 80 for line in lines), max(lines, key=cell_len)
    starts = [line.split()[0] for line in lines if line and not line.startswith(" ")]
    assert starts == ["ID", *ids]


def test_events_fit_the_terminal_with_keys_and_event_ids_whole(demo: DemoServer) -> None:
    facts = demo.facts
    where = ["--endpoint-url", demo.endpoint_url, "--regions", facts.proxy_region,
             "--filter", f"key:{facts.attacker_access_key_id} since:2h"]
    code, out, err = run_in_process("events", "--format", "json", *where)
    assert code == 0, err
    ids = [record["eventID"] for record in json.loads(out)]
    assert ids
    ran = run_on_terminal(["events", *where], 80)
    assert ran.code == 0, ran.err
    shown = ran.out
    lines = shown.splitlines()
    assert all(cell_len(line) <= 80 for line in lines), max(lines, key=cell_len)
    assert [word for line in lines for word in line.split() if word in ids] == ids
    records = [line for line in lines if line and not line.startswith(" ")][1:]
    assert len(records) == len(ids)
    assert shown.count(facts.attacker_access_key_id) == len(ids)



def test_error_codes_stay_whole_on_an_80_column_terminal() -> None:
    """``Client.Unau…`` and ``EntityTempo…`` were cut on records that went over four
    lines anyway: an error code is pivoted on (error:) by its exact value."""
    source = str(Path(__file__).resolve().parents[1].parent / "shared" / "data" / "cloudtrail")
    ran = run_on_terminal(["events", "--source", source, "--filter", "error:*"], 80)
    assert ran.code == 0, ran.err
    lines = ran.out.splitlines()
    assert all(cell_len(line) <= 80 for line in lines), max(lines, key=cell_len)
    words = {word for line in lines for word in line.split()}
    assert {"Client.UnauthorizedOperation", "EntityTemporarilyUnmodifiableException"} <= words
