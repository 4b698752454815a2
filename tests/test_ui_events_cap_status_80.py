"""The events status line at 80x24 once a read stops at the 2,000 cap (responder
review): ``L: load more  2,000 events of more than 2,000 · complete after 11-27
23:45:40 U…`` cut the one thing the boundary needs, its time zone. The count is
written ``2,000 of >2,000 events`` now, and the boundary shows whole."""

from __future__ import annotations

from pathlib import Path

import pytest

from awsir_tui.demo.server import DemoServer
from awsir_tui.events.sources import DEFAULT_CAP
from awsir_tui.ui.events_view import EventsView
from tests.helpers_app import demo_app, wait_for
from tests.helpers_ui_events import account_ready
from tests.test_ui_events_cancelled_read import status_row


@pytest.fixture(autouse=True)
def data_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))


async def test_the_capped_reads_boundary_shows_with_its_zone(demo: DemoServer) -> None:
    history = [r for r in demo.records if r.get("managementEvent", True)]
    assert len(history) > DEFAULT_CAP  # all Event history keeps: more than the cap
    app = demo_app(demo, first_view="regions")
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: account_ready(app), "the regions view")
        await pilot.press("colon", *"events", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, EventsView)
                       and app.screen._progress is not None
                       and app.screen._progress.capped and not app.screen._progress.running
                       and "complete after" in status_row(app, app.screen), "the cap",
                       seconds=90)
        view = app.screen
        assert isinstance(view, EventsView) and view._progress is not None
        after = view._progress.complete_after
        assert after is not None
        row = status_row(app, view)
        assert row.startswith(f"L: load more  {DEFAULT_CAP:,} of >{DEFAULT_CAP:,} events · "
                              f"complete after {after:%m-%d %H:%M:%S} UTC"), row
