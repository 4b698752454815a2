""":timeline at 80x24 gives the outcome the room of its longest code (#5, responder
reviews): the error codes read ``InstanceLimi…`` with who in sight before them, and
needed `l`; now they show whole on the first screen, after the names, and who, `l`
away where it does not fit beside them, keeps the instance ID whole."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from awsir_tui.app import AwsirApp
from awsir_tui.case import Case, CaseStore
from awsir_tui.case.model import TimelineEntry
from awsir_tui.ui.case_timeline import COLUMNS, TimelineView
from tests.helpers_app import open_view, screen_text, wait_for
from tests.helpers_ui_events import account_ready, offline_app

INSTANCE = "i-b2547952490b7fe51"
CODES = ("InstanceLimitExceeded", "VcpuLimitExceeded", "Client.UnauthorizedOperation")
#: The demo attack's calls by the instance's session and how each ended: more rows
#: than 80x24 shows (a vertical scrollbar takes two columns), the longest name 29.
ATTACK = [
    ("GetCallerIdentity", "ok"), ("DescribeSecurityGroups", "ok"),
    ("RunInstances", CODES[0]), ("RunInstances", CODES[1]), ("RunInstances", CODES[2]),
    ("CreateSecurityGroup", "ok"), ("AuthorizeSecurityGroupIngress", "ok"),
    ("ImportKeyPair", "ok"), ("RunInstances", "ok"), ("DescribeInstanceStatus", "ok"),
    ("DescribeKeyPairs", "ok"), ("DescribeSubnets", "ok"), ("DescribeImages", "ok"),
    ("DescribeInstances", "ok"),
]


@pytest.fixture(autouse=True)
def data_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The case goes to a fresh XDG data directory, never the developer's own."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    return tmp_path


def saved_case(calls: list[tuple[str, str]]) -> None:
    """``calls`` on the timeline, made by the instance's session, each marked."""
    start = datetime(2024, 12, 1, 5, 48, 0, tzinfo=UTC)
    case = Case("default")  # the case an app that cannot learn its account opens
    case.timeline = {
        f"e{n}": TimelineEntry(f"e{n}", start + timedelta(seconds=37 * n), name,
                               user=INSTANCE, outcome=outcome)
        for n, (name, outcome) in enumerate(calls)
    }
    CaseStore().save(case)


def table_lines(app: AwsirApp) -> list[str]:
    """The table's lines, its header first (under the title bar and the breadcrumb;
    not the pane's under it)."""
    return screen_text(app).split("\u2500" * 10)[0].splitlines()[2:]


def header(app: AwsirApp) -> list[str]:
    return table_lines(app)[0].split()


async def timeline_shown(pilot: Pilot[Any], app: AwsirApp, name: str) -> None:
    """:timeline opened once the app is up, its rows drawn (``name`` in sight)."""
    await wait_for(pilot, lambda: account_ready(app))
    view = await open_view(pilot, app, "timeline")
    assert isinstance(view, TimelineView)
    await wait_for(pilot, lambda: name in screen_text(app), "the rows drawn")


async def test_the_error_codes_whole_on_the_first_screen() -> None:
    saved_case(ATTACK)
    app = offline_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await timeline_shown(pilot, app, "ImportKeyPair")
        assert header(app)[-2:] == ["what", "outcome"], table_lines(app)
        assert all(f" {code} " in "\n".join(table_lines(app)) for code in CODES), \
            table_lines(app)
        assert "AuthorizeSecurityGroupIngress" in screen_text(app), table_lines(app)
        # l to who, the instance whole, then why; h back, a column at a time.
        await pilot.press("l", "l")
        await wait_for(pilot, lambda: "who" in header(app), "who in sight")
        rows = [line for line in table_lines(app)[1:] if INSTANCE in line]
        assert rows and all(f" {INSTANCE} " in row for row in rows), table_lines(app)
        await pilot.press("l")
        await wait_for(pilot, lambda: "why" in header(app), "why in sight")
        assert header(app)[0] in COLUMNS, header(app)
        await pilot.press("h", "h", "h")
        await wait_for(pilot, lambda: header(app)[-2:] == ["what", "outcome"]
                       and f" {CODES[2]} " in screen_text(app), "the first screen again")


async def test_the_outcome_takes_the_room_beside_short_names() -> None:
    """RunInstances alone: the room beside the name and who went to why ("marked",
    in sight) and cut the code to ``InstanceLimitExcee…``; why is one l away."""
    saved_case([("RunInstances", CODES[0]), ("RunInstances", CODES[1]),
                ("RunInstances", "ok")])
    app = offline_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await timeline_shown(pilot, app, "RunInstances")
        await wait_for(pilot, lambda: f" {CODES[0]}" in screen_text(app), "the code whole")
        assert header(app)[header(app).index("what") + 1] == "outcome", table_lines(app)
        await pilot.press("l", "l")
        await wait_for(pilot, lambda: "why" in header(app), "why in sight")
        assert all(line.split()[-1] == "marked" for line in table_lines(app)[1:4]), \
            table_lines(app)
