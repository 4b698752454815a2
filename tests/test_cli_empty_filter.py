"""``--filter ''`` is refused (exit 2) as every other empty option is (#5, QA): it was
read as no filter, so an unset ``$FILTER`` read and exported every event, while the
README says an empty option is refused. Through the real command line."""

from __future__ import annotations

import pytest

from tests.helpers_events import STRATUS
from tests.helpers_headless import run_cli

REFUSED = "awsir-tui: --filter '' names no term (an unset variable?)\n"


@pytest.mark.parametrize("given", [["--filter", ""], ["--filter="]])
@pytest.mark.parametrize("command", ["events", "findings", "instances"])
def test_an_empty_filter_is_refused(command: str, given: list[str]) -> None:
    # the read it would make, were '' taken as no filter: an archive, or the demo account
    read = ("--demo",) if command == "instances" else ("--source", str(STRATUS))
    code, out, err = run_cli(command, *read, *given)
    assert (code, out, err) == (2, "", REFUSED)


def test_no_filter_still_reads_every_event() -> None:
    code, out, err = run_cli("events", "--source", str(STRATUS), "--format", "jsonl")
    assert code == 0 and len(out.splitlines()) > 1, err
