"""`:timeline` at 80x24 shows each event's name readable (whole where who and the
outcome leave room, else its first 23 letters) and its outcome readable; why gives way
first. QA marked DescribeInstanceAttribute-like calls and read two rows of
``DescribeInstanc…`` and an outcome of ``Client.Un…``, a different call each."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from awsir_tui.cli import Options
from awsir_tui.ui.case_timeline import CUT_NAME, TimelineView
from awsir_tui.ui.events_view import EventsView
from tests.helpers_app import open_view, screen_text, wait_for
from tests.helpers_detect import STRATUS
from tests.helpers_ui_events import offline_app

#: A real call of each name, from the Stratus Red Team logs: the first two cut at 16
#: read alike, and the first failed (Client.UnauthorizedOperation).
CALLS = {"DescribeInstanceAttribute": "aws.discovery.ec2-download-user-data.json",
         "DescribeInstanceInformation": "aws.execution.ssm-send-command.json"}


@pytest.fixture(autouse=True)
def data_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The case goes to a fresh XDG data directory."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    return tmp_path / "data"


def calls_file(tmp_path: Path) -> str:
    """One log file holding the first record of each of :data:`CALLS`."""
    records = []
    for name, file in CALLS.items():
        found = json.loads((STRATUS / file).read_text())
        records.append(next(r for r in found if r["eventName"] == name))
    path = tmp_path / "calls.json"
    path.write_text(json.dumps({"Records": records}))
    return str(path)


async def test_marked_events_show_their_names_whole_at_80(tmp_path: Path) -> None:
    app = offline_app(Options(sources=[calls_file(tmp_path)]))
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, EventsView)
                       and "loaded" in screen_text(app) and app.case is not None)
        session = app.case
        assert session is not None
        await pilot.press("g", "m", "j", "m")
        await wait_for(pilot, lambda: len(session.case.timeline) == 2, "both marked")
        timeline = await open_view(pilot, app, "timeline")
        assert isinstance(timeline, TimelineView)

        def rows() -> list[str]:
            return [line for line in screen_text(app).splitlines() if "Describe" in line]

        await wait_for(pilot, lambda: any(
            "DescribeInstanceAttribute " in row and "Client.Unaut" in row
            for row in rows()), "the failed call's name whole, its outcome readable")
        # Cut, if at all, where it still tells the call: who keeps the room for a
        # caller's 19 letters (an instance's session) before the name its last ones.
        told = "DescribeInstanceInformation"[:CUT_NAME - 1]
        await wait_for(pilot, lambda: any(told in row for row in rows()), "the other name")
