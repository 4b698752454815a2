"""At 80x24 an ID or an ARN is never broken across screen lines where it fits on one:
copied off the terminal (over SSH, the usual way), a value broken at the edge pasted as
two. A value too long to sit beside its label goes whole on the lines under it; only one
longer than a line is broken, after a space, ``/`` or ``:``."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest

from awsir_tui.case import Case, CaseStore
from awsir_tui.case.model import TimelineEntry
from awsir_tui.demo.server import DemoServer
from tests.helpers_app import open_view, screen_text, wait_for
from tests.helpers_ec2 import make_app, open_edge_proxy, sheet
from tests.helpers_ui_events import account_ready, offline_app

#: A line that ends inside an instance ID: ``i-`` and fewer than its 17 hex digits.
CUT_ID = re.compile(r"\bi-[0-9a-f]{0,16}$")


def cut_lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if CUT_ID.search(line.rstrip())]


async def test_the_profile_arn_is_whole_on_one_line_of_the_instance_page(
    demo: DemoServer,
) -> None:
    """It showed ``…:instance-profile/edge-pro`` and ``xy-profile`` under it."""
    app = make_app(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_edge_proxy(pilot, app)
        profile = next(row for row in sheet(app) if row.startswith("Profile "))
        arn = profile.removeprefix("Profile ")
        assert arn.startswith("arn:aws:iam::") and arn.endswith("/edge-proxy-profile"), arn
        text = screen_text(app)
        assert any(arn in line for line in text.splitlines()), text
        assert not cut_lines(text), text


async def test_an_arn_that_fits_a_line_is_whole_on_one_in_the_timeline_pane(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The pane under :timeline wrapped a 75-character ARN beside its label, cut after
    ``i-0123456``: it goes whole on the line under its label, as a page's does."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    arn = "arn:aws:sts::123456789012:assumed-role/etl-worker-role/i-0123456789abcdef0"
    case = Case("default")
    case.timeline = {"e1": TimelineEntry("e1", datetime(2026, 3, 1, 9, tzinfo=UTC),
                                         "ConsoleLogin", user="etl", user_arn=arn)}
    CaseStore().save(case)
    app = offline_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: account_ready(app))
        await open_view(pilot, app, "timeline")
        await wait_for(pilot, lambda: "ConsoleLogin" in screen_text(app).split("─")[-1],
                       "the event's pane")
        text = screen_text(app)
        assert f"  {arn}" in [line.rstrip() for line in text.splitlines()], text
        assert not cut_lines(text), text
