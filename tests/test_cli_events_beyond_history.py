"""``awsir-tui events`` over a range older than Event history's 90 days says so, and
exits as the README's exit status says: 1 when none of the range is kept (nothing
could be answered), 3 when only part of it is (#5).

``--filter before:`` four months ago printed the CSV's header, ``0 events`` and exit 0:
a script read it as "nothing happened then", when Event history keeps nothing of then.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from awsir_tui.cli import main
from awsir_tui.commands.output import PARTLY_ANSWERED
from awsir_tui.demo.server import DemoServer
from awsir_tui.query.times import utc_stamp

KEPT = "awsir-tui: Event history keeps 90 days (since "
ADVICE = "; read the trail's archive with --source"


def events(
    demo: DemoServer, capsys: pytest.CaptureFixture[str], *args: str
) -> tuple[int, str, list[str]]:
    code = main(["events", "--regions", ",".join(demo.regions), *args,
                 "--endpoint-url", demo.endpoint_url])
    captured = capsys.readouterr()
    return code, captured.out, captured.err.splitlines()


def said(lines: list[str]) -> list[str]:
    """The lines on stderr that say what Event history keeps."""
    return [line for line in lines if line.startswith(KEPT)]


def test_a_range_wholly_older_than_event_history_answers_nothing(
    demo: DemoServer, capsys: pytest.CaptureFixture[str]
) -> None:
    months_ago = utc_stamp(datetime.now(UTC) - timedelta(days=120))
    code, out, err = events(demo, capsys, "--filter", f"before:{months_ago}",
                            "--format", "csv")
    assert code == 1, err
    assert len(out.splitlines()) == 1  # the header: no event
    (line,) = said(err)
    assert line.endswith(f"): the range asked lies wholly before that{ADVICE}"), line


def test_a_range_partly_older_is_partial_and_its_export_says_why(
    demo: DemoServer, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    months_ago = utc_stamp(datetime.now(UTC) - timedelta(days=120))
    output = tmp_path / "events.jsonl"
    code, out, err = events(demo, capsys, "--filter", f"name:=ImportKeyPair after:{months_ago}",
                            "--output", str(output))
    assert code == PARTLY_ANSWERED and out == "", err
    assert output.read_text().splitlines()  # what Event history keeps is written
    (line,) = said(err)
    assert line.endswith(f"): the range asked starts before that{ADVICE}"), line
    coverage = Path(f"{output}.coverage.txt").read_text().splitlines()
    assert coverage[0].startswith("coverage: PARTIAL: Event history keeps 90 days"), coverage[0]


def test_the_90_days_themselves_exit_0(
    demo: DemoServer, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = events(demo, capsys, "--filter", "name:=ImportKeyPair", "--since", "90d",
                            "--format", "jsonl")
    assert code == 0 and out and not said(err), err
