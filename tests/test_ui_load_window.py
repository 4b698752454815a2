"""``awsir-tui --source DIR --after DAY``: the app loads that range only, and its events
view says so on its plan line (#5, responder review: the app refused --after, and loaded
months of logs to look at two days)."""

from __future__ import annotations

from pathlib import Path

from awsir_tui.cli import parse
from tests.helpers_app import screen_text, wait_for
from tests.helpers_ui_events import archive_loaded, offline_app
from tests.test_events_load_window import DAY, incident_days


async def test_the_app_loads_only_the_days_asked(tmp_path: Path) -> None:
    incident_days(tmp_path)
    app = offline_app(parse(["--source", str(tmp_path), "--after", "2024-11-25"]))
    async with app.run_test(size=(160, 40)) as pilot:
        await archive_loaded(pilot, app)
        archive = app.archive
        assert archive is not None and archive.report is not None
        times = [event.event_time for event in archive.store.events()]
        assert len(times) == 5 and min(times) >= DAY
        assert archive.report.outside == 1 and archive.report.pruned == 3
        await wait_for(pilot, lambda: "5 events" in screen_text(app), "the 5 events listed")
        plan = ("filter (none: every event), run on the store; archive read from "
                "2024-11-25T00:00:00Z only")
        assert plan in screen_text(app)
