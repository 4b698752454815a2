"""One record with an impossible eventTime no longer spoils the timeline (#5).

With a record dated 9999-12-31 and one dated 0001-01-01 among real ones, `t` counted
per 1 week, every real event in one row, then "416,016 empty buckets (2912112 days)";
and the CSV export wrote year 1 as ``1-01-01T00:00:00Z``, no ISO 8601 time.
"""

from __future__ import annotations

import csv
import json
from datetime import datetime
from pathlib import Path
from typing import Any

from awsir_tui.events.event_export import write_events
from awsir_tui.events.record import from_record
from awsir_tui.ui.events_view import EventsView
from tests.helpers_app import screen_text, wait_for
from tests.helpers_events import all_records

ODD_TIMES = ("9999-12-31T23:59:59Z", "0001-01-01T00:00:00Z")


def odd_records() -> list[dict[str, Any]]:
    """The first Stratus records, two of them at impossible times."""
    records = [dict(r) for r in all_records()[:40]]
    for record, when in zip(records, ODD_TIMES, strict=False):
        record["eventTime"] = when
    return records


async def test_the_timeline_leaves_impossible_times_out_and_says_so(tmp_path: Path) -> None:
    from awsir_tui.cli import Options
    from tests.helpers_ui_events import offline_app
    from tests.test_ui_stack import stack_over_the_archive

    records = odd_records()
    (tmp_path / "logs.json").write_text(json.dumps({"Records": records}))
    app = offline_app(Options(sources=[str(tmp_path)]))
    async with app.run_test(size=(80, 24)) as pilot:
        stack = await stack_over_the_archive(pilot, app)
        await pilot.press("t")
        await wait_for(pilot, lambda: stack.shown.timeline
                       and "in the future left out" in screen_text(app),
                       "the timeline, the impossible times said")
        text = " ".join(screen_text(app).split())
        early, future = ("1 event before CloudTrail began left out: before:2013-11-01",
                         "1 event in the future left out: after:")
        assert early in text and future in text
        assert f"{len(records) - 2:,} events" in text
        assert "1 week" not in text and "416," not in text
        starts = [getattr(row[0], "start", row[0]) for row in stack.rows]
        assert 2020 < starts[0].year <= starts[-1].year < 2030
        assert sum(int(str(row[-1])) for row in stack.rows) == len(records) - 2
        # Each filter said can be typed, and finds its event (a review: the one filter
        # said, "before:A, after:B", was refused however it was typed).
        after = text.split(future, 1)[1].split(")", 1)[0].split(";", 1)[0]
        for typed, when in (("before:2013-11-01", ODD_TIMES[1]), (f"after:{after}", ODD_TIMES[0])):
            await pilot.press("escape")
            await wait_for(pilot, lambda: isinstance(app.screen, EventsView), "the events")
            await pilot.press("slash", "ctrl+u", *typed, "enter")
            view = app.screen
            assert isinstance(view, EventsView)
            await wait_for(pilot, lambda v=view, t=typed: v.filter_text == t
                           and v.table.row_count == 1 and v.table.peek_row(0) is not None, typed)
            row = view.table.peek_row(0)
            assert row is not None and row.event_time == datetime.fromisoformat(when)
            await pilot.press("colon", *"stack", "enter")
            await wait_for(pilot, lambda: isinstance(app.screen, type(stack)), ":stack")


def test_csv_writes_year_1_in_four_digits(tmp_path: Path) -> None:
    events = [from_record(r) for r in odd_records()[:3]]
    write_events(events, tmp_path / "events.csv", "csv")
    with (tmp_path / "events.csv").open(newline="") as handle:
        times = [row["time"] for row in csv.DictReader(handle)]
    assert times[:2] == list(ODD_TIMES)
    assert times[2] == all_records()[2]["eventTime"]


async def test_the_events_table_writes_year_1_in_four_digits(tmp_path: Path) -> None:
    """The events list showed the year-1 record as ``1-01-01 00:00:00``."""
    from awsir_tui.cli import Options
    from tests.helpers_ui_events import archive_loaded, offline_app

    (tmp_path / "logs.json").write_text(json.dumps({"Records": odd_records()}))
    app = offline_app(Options(sources=[str(tmp_path)]))
    async with app.run_test(size=(80, 24)) as pilot:
        view = await archive_loaded(pilot, app)
        # Every row in the table first: G on a table still being filled stayed at the
        # top on a loaded machine (the load's "loaded" comes before the rows' sort).
        await wait_for(pilot, lambda: view.table.row_count == len(odd_records()),
                       "every row listed")
        await pilot.press("G")  # oldest last
        await wait_for(pilot, lambda: "0001-01-01 00:00:00 " in screen_text(app), "year 1")
        assert " 1-01-01" not in screen_text(app)


def test_a_findings_page_and_the_empty_time_hint_write_year_1_in_four_digits() -> None:
    """A review found two more places writing strftime's ``1-01-01``."""
    from datetime import UTC

    from awsir_tui.ui.findings_view import full_minute

    assert full_minute(datetime(1, 1, 1, tzinfo=UTC)) == "0001-01-01 00:00 UTC"
