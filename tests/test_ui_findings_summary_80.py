"""`:findings` at 80x24 over the demo's trail bucket (#5, responder review): two
findings of one rule read ``low  GetCallerIdentit… GetCallerIdentity… 1  11-24 14:06
11-24 14:06``, title and summary cut to 18 cells alike, and a one-event finding's
time said twice. One column says when (the first time, and the last only where it is
another minute), and the summary, which names who called and from where, has the
room to tell the two apart."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from awsir_tui.demo.server import DemoServer
from awsir_tui.ui.findings_view import FindingsView
from tests.helpers_app import demo_app, open_view, screen_text, wait_for
from tests.test_ui_findings import findings_done

RULE = "awsir_first_seen_get_caller_identity"
TIME = re.compile(r"\d\d-\d\d \d\d:\d\d")


@pytest.fixture(autouse=True)
def data_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The case goes to a fresh XDG data directory, never the developer's own."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    return tmp_path


async def test_two_callers_read_apart_at_80(demo: DemoServer) -> None:
    app = demo_app(demo, sources=[f"s3://{demo.facts.trail_bucket}"])
    async with app.run_test(size=(80, 24)) as pilot:
        view = await open_view(pilot, app, "findings")
        assert isinstance(view, FindingsView)
        await wait_for(pilot, lambda: findings_done(app) and bool(view.findings), "findings",
                       seconds=180)
        callers = [f for f in view.findings if f.rule_id == RULE]
        assert len(callers) >= 2, view.findings
        await wait_for(pilot, lambda: "summary" in screen_text(app), "the table drawn")
        lines = screen_text(app).splitlines()
        rows = [line for line in lines if line[2:].startswith("L ")
                and "GetCallerIdentit" in line]
        assert len(rows) == len(callers), "\n".join(lines)
        # Told apart by who called, not by their times alone.
        untimed = {TIME.sub("", row).strip() for row in rows}
        assert len(untimed) == len(rows), "\n".join(rows)
        # One event, one time.
        assert all(len(TIME.findall(row)) == 1 for row in rows), "\n".join(rows)
