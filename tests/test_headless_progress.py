"""Headless Event history says how far it has got while it pages (2 calls/s a region):
rewritten in place on a terminal, sparingly when stderr is a file; the final summary
stays."""

from __future__ import annotations

import contextlib
import io

from awsir_tui.cli import main
from awsir_tui.commands.progress import ProgressLine
from awsir_tui.demo.server import DemoServer
from tests.helpers_headless import run_on_terminal


def where(demo: DemoServer) -> list[str]:
    """Everything the attacker's key did in the proxy's region: a few pages."""
    facts = demo.facts
    return ["--endpoint-url", demo.endpoint_url, "--regions", facts.proxy_region,
            "--filter", f"key:{facts.attacker_access_key_id} since:2h"]


def test_progress_is_rewritten_in_place_on_a_terminal(demo: DemoServer) -> None:
    ran = run_on_terminal(["events", "--format", "csv", *where(demo)], 80, stream="stderr")
    assert ran.code == 0, ran.err
    assert "\rawsir-tui: reading Event history: " in ran.err
    drawn = [part for part in ran.err.split("\r") if "reading Event history" in part]
    assert all("pages" in part or "page" in part for part in drawn)
    assert all(len(part.split("\x1b[K")[0]) < 80 for part in drawn)  # never folded
    # The line is erased before the summary, which stays, on its own line.
    last = ran.err.rsplit("\r\x1b[K", 1)[1]
    assert last.startswith("awsir-tui: ") and " events · 1/1 regions · " in last
    assert "reading Event history" not in last
    assert ran.out.count("\n") > 1  # the CSV went to stdout, untouched
    assert "\r" not in ran.out.replace("\r\n", "\n")


def test_piped_stderr_gets_no_carriage_returns_and_keeps_the_summary(
    demo: DemoServer,
) -> None:
    err = io.StringIO()
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(err):
        code = main(["events", "--format", "csv", *where(demo)])
    assert code == 0, err.getvalue()
    assert "\r" not in err.getvalue() and "\x1b" not in err.getvalue()
    assert " events · 1/1 regions · " in err.getvalue().splitlines()[-1]


def test_piped_progress_is_a_line_at_a_time_and_spaced_in_time() -> None:
    err = io.StringIO()
    with ProgressLine(err, piped_every=3600.0) as line:
        line.show("awsir-tui: reading Event history: 50 events")
    assert err.getvalue() == ""  # a read shorter than the spacing prints nothing
    with ProgressLine(err, piped_every=0.0) as line:
        line.show("awsir-tui: reading Event history: 50 events")
        line.show("awsir-tui: reading Event history: 100 events")
    assert err.getvalue().splitlines() == [
        "awsir-tui: reading Event history: 50 events",
        "awsir-tui: reading Event history: 100 events",
    ]
