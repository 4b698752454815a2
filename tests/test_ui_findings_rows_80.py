"""`:findings` at 80x24 tells apart two findings of one rule in their rows (#5,
responder review): the demo's failed GPU launches, p3.16xlarge and g4dn.12xlarge, read
``medium   Failed attempt: GPU or… T1496.001 2 …`` twice, the summary cut to ``Ru…``;
only the pane under the table told them apart."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from awsir_tui.demo.server import DemoServer
from tests.helpers_app import demo_app, screen_text, wait_for
from tests.test_ui_findings import SIZE, findings_of_the_last_2h

GPU_RULE = "awsir_ec2_gpu_instances_requested"
#: A row's first and last time, as the table writes them this year.
TIMES = re.compile(r"\d\d-\d\d \d\d:\d\d")


@pytest.fixture(autouse=True)
def data_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The app's case goes to a fresh XDG data directory."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    return tmp_path / "data"


async def test_two_findings_of_one_rule_differ_in_their_rows_at_80_columns(
    demo: DemoServer,
) -> None:
    app = demo_app(demo)
    async with app.run_test(size=SIZE) as pilot:
        view = await findings_of_the_last_2h(pilot, app)
        gpu = [f for f in view.findings if f.rule_id == GPU_RULE]
        assert len(gpu) == 2, view.findings
        await wait_for(pilot, lambda: "when (UTC)" in screen_text(app), "the table drawn")
        lines = screen_text(app).splitlines()
        rows = [line for line in lines if line[2:].startswith("M ")
                and "Failed attempt" in line]
        assert len(rows) == 2, "\n".join(lines)
        # Not by their times alone (a minute apart): by what the attacker asked for.
        untimed = {TIMES.sub("", row) for row in rows}
        assert len(untimed) == 2, "\n".join(rows)
        assert any("RunInstances p3." in row for row in rows), "\n".join(rows)
        assert any("RunInstances g4d" in row for row in rows), "\n".join(rows)
        # Severity first and the time stays in view.
        header = next(line for line in lines if "summary" in line)
        assert header.split()[:2] == ["K", "!"] and "when (UTC)" in header, header
        # Their count one l away, beside the severity.
        await pilot.press("l")
        await wait_for(pilot, lambda: " events " in screen_text(app), "the count")
        counted = [line for line in screen_text(app).splitlines()
                   if line[2:].startswith("M ") and " 2 " in line]
        assert len(counted) == 2, screen_text(app)
