"""Event history on the demo at 80x24: ``name:runinst``, a start of a name as responders
type it on an archive, lists the RunInstances events, and the status line says what was
sent (AWS matches event names whole: sent as typed, it found nothing)."""

from __future__ import annotations

from pathlib import Path

import pytest

from awsir_tui.aws.event_names import event_names
from awsir_tui.demo.server import DemoServer
from awsir_tui.ui.base import View
from awsir_tui.ui.events_view import EventsView
from tests.helpers_app import demo_app, open_view, screen_text, wait_for

SENT = "name:runinst sent as EventName=RunInstances"


@pytest.fixture(autouse=True)
def isolated_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    event_names()  # ready, as after the app's first start (the planner takes what is)


async def test_a_start_of_one_name_lists_its_events_and_says_what_was_sent(
    demo: DemoServer,
) -> None:
    app = demo_app(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, View))
        view = await open_view(pilot, app, "events")
        assert isinstance(view, EventsView)
        await pilot.press("slash", *"name:runinst", "enter")
        launched = {r["eventID"] for r in demo.records if r["eventName"] == "RunInstances"}
        assert launched
        await wait_for(pilot, lambda: SENT in screen_text(app) and {
            view.table.row(i).event_id for i in range(view.table.row_count)} == launched,
            "every RunInstances listed, and what was sent said")
        status = next(line for line in screen_text(app).splitlines() if SENT in line)
        assert f"{SENT}  {len(launched)} events" in status and "try " not in status
        assert "EventName = RunInstances (from name:runinst, the one known name holding it)" \
            in " ".join(screen_text(app).split())
