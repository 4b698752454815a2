"""What the headless EC2 listings print is whole: every instance using a group or a key
in the "Used by" column of CSV and of a piped table, every word of a filter's error.

A responder scripts "every instance using this group" on the CSV: three IDs of six,
with nothing to say the rest were dropped, is a wrong answer. The command line runs
in-process over real HTTP to the demo account; stdout and stderr are not terminals.
"""

from __future__ import annotations

import csv
import io
import json

import pytest

from awsir_tui.cli import main
from awsir_tui.demo.server import DemoServer
from awsir_tui.query.fields import INSTANCE_FIELDS


def run(demo: DemoServer, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main([*args, "--endpoint-url", demo.endpoint_url, "--regions", ",".join(demo.regions)])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def used_by(cell: str) -> list[str]:
    """The IDs of a "Used by" cell (``6: i-…, i-…``), checked against its count."""
    count, _, ids = cell.partition(": ")
    users = ids.split(", ")
    assert int(count) == len(users), cell
    return users


@pytest.mark.parametrize(("command", "key"), [("security-groups", "GroupId"),
                                              ("key-pairs", "KeyPairId")])
def test_csv_used_by_lists_every_instance(
    demo: DemoServer, capsys: pytest.CaptureFixture[str], command: str, key: str
) -> None:
    code, out, err = run(demo, capsys, command, "--format", "json")
    assert code == 0, err
    expected = {item[key]: item["UsedBy"] for item in json.loads(out) if item["UsedBy"]}
    assert max(len(users) for users in expected.values()) > 3  # more than a cut would keep
    code, out, err = run(demo, capsys, command, "--format", "csv")
    assert code == 0, err
    rows = list(csv.DictReader(io.StringIO(out)))
    assert {row["ID"]: used_by(row["Used by"]) for row in rows
            if row["ID"] in expected} == expected


def test_piped_table_used_by_lists_every_instance(
    demo: DemoServer, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(demo, capsys, "key-pairs", "--format", "json")
    assert code == 0, err
    busiest = max(json.loads(out), key=lambda item: len(item["UsedBy"]))
    assert len(busiest["UsedBy"]) > 3
    code, out, err = run(demo, capsys, "key-pairs", "--filter", f"id:{busiest['KeyPairId']}")
    assert code == 0, err
    header, line = out.splitlines()
    assert "\u2026" not in line
    start = header.index("Used by")
    assert line[start:].startswith(f"{len(busiest['UsedBy'])}: " + ", ".join(busiest["UsedBy"]))


def test_filter_error_on_stderr_is_whole(
    demo: DemoServer, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(demo, capsys, "instances", "--filter", "foo:bar")
    assert code == 2
    assert out == ""
    assert "\u2026" not in err
    _, _, listed = err.strip().partition("instances have: ")
    fields = listed.split(", ")
    assert {spec.name for spec in INSTANCE_FIELDS} | {"tag"} <= set(fields)
    assert fields[-1] == "tag"  # the line ends with its last field, not mid-list
