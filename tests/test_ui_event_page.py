"""The event page (one CloudTrail record) at 80x24: its help, and long values."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from awsir_tui.app import AwsirApp
from awsir_tui.events.record import from_record
from awsir_tui.ui.dialogs import HelpScreen
from awsir_tui.ui.events_detail import EventDetailView
from tests.helpers_app import composed, screen_text, wait_for
from tests.helpers_ui_events import account_ready, offline_app

SIZE = (80, 24)
#: A role session's ARN, as wide as the screen: the instance ID is its last part.
ARN = "arn:aws:sts::123456789012:assumed-role/edge-proxy-role/i-b2547952490b7fe51"


def record() -> dict[str, Any]:
    """An EC2 role session's call: ``userIdentity.arn`` ends in the instance's ID."""
    return {
        "eventVersion": "1.09",
        "userIdentity": {"type": "AssumedRole", "arn": ARN,
                         "principalId": "AROAEXAMPLE:i-b2547952490b7fe51"},
        "eventTime": "2026-11-29T16:24:22Z",
        "eventSource": "ec2.amazonaws.com",
        "eventName": "DescribeInstanceStatus",
        "awsRegion": "eu-west-1",
        "sourceIPAddress": "203.0.113.66",
        "eventID": "29d97467-4037-48a7-9300-f9d01406c38e",
    }


@pytest.fixture(autouse=True)
def isolated_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Cases (and the view they reopen) go to a fresh folder per test."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))


async def open_page(pilot: Pilot[Any], app: AwsirApp) -> EventDetailView:
    """The event page of :func:`record`, its tree on screen."""
    await wait_for(pilot, lambda: account_ready(app), "regions")
    page = EventDetailView(from_record(record()))
    await app.push_screen(page)
    await wait_for(pilot, lambda: "userIdentity" in screen_text(app), "the event's tree")
    return page


async def test_the_help_says_4_widens_the_list_not_this_page() -> None:
    """`4` (90 days) is a key of the events list a pivot opens, not of the event page."""
    app = offline_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_page(pilot, app)
        await pilot.press("question_mark")
        await wait_for(pilot, lambda: composed(app, HelpScreen, "Static"), "the help")
        assert isinstance(app.screen, HelpScreen)
        shown = " ".join(app.screen.body.plain.split())
        assert "4 in that list widens it to 90 days" in shown
        assert "90d" not in shown  # and 4 is no key of this page
