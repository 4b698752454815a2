"""A command line naming what is not there exits 2, as the README's exit status says
(#5, a responder's review): ``case export nosuch`` exited 2 where the README gave 2
only for a bad filter or option, not for a missing case. Every such name (a case, a
store, a rules folder, an export's folder, verify's source) is one to mend before
anything is read, and exits 2; an events ``--source`` that is not there is a source
none of whose events could be read (1), as others beside it may still answer."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.helpers_headless import run_cli

README = Path(__file__).resolve().parents[1] / "README.md"


def exit_status_text() -> str:
    """The README's exit status paragraph, on one line."""
    text = " ".join(README.read_text().split())
    return text[text.index("Exit status, for scripts:") : text.index("130 after Ctrl-C")]


#: Each command line (``NOPE`` stands for a path that is not there), and how the
#: README names it among the exit status 2's.
NAMES_NOTHING = [
    (["case", "export", "nosuch"], "`case export NAME` of no saved case"),
    (["events", "--store", "NOPE"], "`--store FILE` alone"),
    (["findings", "--source", ".", "--rules", "NOPE"], "`--rules DIR`"),
    (["events", "--source", ".", "--output", "NOPE/events.csv"], "`--output FILE`"),
    (["verify", "--source", "NOPE"], "`verify --source FOLDER`"),
]


@pytest.mark.parametrize(("args", "documented"), NAMES_NOTHING)
def test_a_name_of_nothing_exits_2_as_documented(
    args: list[str], documented: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    nope = str(tmp_path / "nope")
    code, out, err = run_cli(*(arg.replace("NOPE", nope) for arg in args))
    assert code == 2 and out == "", err
    [line] = err.splitlines()
    assert "nosuch" in line or nope in line, line
    refused = exit_status_text().split("; 2 for a command line refused", 1)[1]
    assert documented in refused


def test_an_events_source_that_is_not_there_exits_1_as_documented(tmp_path: Path) -> None:
    code, _out, err = run_cli("events", "--source", str(tmp_path / "nope"))
    assert code == 1, err
    assert "no such file or folder" in err
    none_read = re.split(r"; 1 when none\s+could", exit_status_text())[1]
    assert "a path that is not there" in none_read.split("; 2 for", 1)[0]
