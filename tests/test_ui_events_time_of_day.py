"""`/after:2026-12-01 05:40⏎` in the events view over an archive bounds the list at
05:40 (review: it bounded it at midnight and searched the raw records for "05:40",
and showed the one event of that minute)."""

from __future__ import annotations

import json
from pathlib import Path

from awsir_tui.cli import Options
from tests.helpers_app import screen_text, wait_for
from tests.helpers_events import all_records
from tests.helpers_ui_events import archive_loaded, offline_app

#: Real records, re-timed over the morning of 2026-12-01: one in the minute typed.
TIMES = ("03:00:00", "05:39:59", "05:40:00", "06:15:00", "07:00:00", "08:30:00")


async def test_a_time_typed_after_the_date_bounds_the_list(tmp_path: Path) -> None:
    records = [dict(record, eventTime=f"2026-12-01T{clock}Z", eventID=f"event-{n}")
               for n, (record, clock) in enumerate(zip(all_records(), TIMES, strict=False))]
    (tmp_path / "logs.json").write_text(json.dumps({"Records": records}))
    app = offline_app(Options(sources=[str(tmp_path / "logs.json")]))
    async with app.run_test(size=(80, 24)) as pilot:
        view = await archive_loaded(pilot, app)
        typed = "after:2026-12-01 05:40"
        await pilot.press("slash", "ctrl+a", "ctrl+k", *typed, "enter")
        await wait_for(pilot, lambda: view.filter_text == typed, "the typed filter")
        # 05:40:00, 06:15, 07:00 and 08:30: not the one event whose record holds "05:40".
        await wait_for(pilot, lambda: view.table.row_count == 4
                       and "4 events" in screen_text(app), "the events from 05:40")
        # The plan shows the filter run, the time as one value.
        await wait_for(pilot, lambda: "filter after:2026-12-01T05:40, run on the store"
                       in screen_text(app), "the plan")
