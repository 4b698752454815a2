"""Headless option errors name the option typed (#5): a bad --since was said as a bad
filter term, and --force without --output was accepted in silence."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers_events import STRATUS
from tests.helpers_headless import run_cli as run


@pytest.mark.parametrize(("option", "value", "said"), [
    ("--since", "2x", "awsir-tui: --since: bad time '2x': use a duration (30m, 2h"),
    ("--after", "2019-13-01", "awsir-tui: --after: '2019-13-01' is not a valid date "
                              "(there is no month 13)"),
    ("--before", "2h admin", "awsir-tui: --before '2h admin': one duration or time"),
])
def test_a_bad_time_option_is_said_as_the_option(option: str, value: str, said: str) -> None:
    code, out, err = run("events", "--source", str(STRATUS), option, value)
    assert code == 2 and not out, err
    assert err.startswith(said), err
    assert "bad filter" not in err


def test_a_time_option_beside_a_filter_still_narrows_it() -> None:
    code, out, err = run("events", "--source", str(STRATUS), "--format", "jsonl",
                         "--filter", "event:RunInstances", "--before", "2000-01-01")
    assert code == 0 and out == "", err


def test_force_without_output_is_refused(tmp_path: Path) -> None:
    code, out, err = run("events", "--source", str(STRATUS), "--force")
    assert code == 2 and not out
    assert err == ("awsir-tui: --force has no effect without --output (it lets --output "
                   "FILE replace an earlier FILE)\n"), err


def test_an_output_folder_that_cannot_be_written_is_refused_before_the_read() -> None:
    """Found after the whole load, the export was lost with the time. /sys takes no
    file, from root either (whom os.access answers yes)."""
    code, out, err = run("events", "--source", str(STRATUS), "--output", "/sys/out.jsonl")
    assert code == 2 and not out
    assert err.startswith("awsir-tui: --output /sys/out.jsonl: cannot write in /sys ("), err
    assert "loaded" not in err  # refused before any reading
