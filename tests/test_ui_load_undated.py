"""`:load` says how many events have no usable eventTime, and the filter that finds
them; that filter typed in the viewer shows them (#5)."""

from __future__ import annotations

import json
from pathlib import Path

from awsir_tui.cli import Options
from awsir_tui.ui.events_view import EventsView
from awsir_tui.ui.load_view import LoadView
from tests.helpers_app import screen_text, wait_for
from tests.helpers_events import all_records, envelope_gz
from tests.helpers_ui_events import offline_app


def words(text: str) -> str:
    """The screen's text with its wrapping undone."""
    return " ".join(text.split())


async def test_load_page_counts_undated_events_and_names_their_filter(tmp_path: Path) -> None:
    good = all_records()[:20]
    undated = [dict(r, eventID=f"undated-{n}", eventTime="not a time")
               for n, r in enumerate(all_records()[20:23])]
    (tmp_path / "log.json.gz").write_bytes(envelope_gz([*good, *undated]))
    (tmp_path / "lines.jsonl").write_text(
        json.dumps(dict(good[0], eventID="undated-line", eventTime=None)) + "\n")
    app = offline_app(Options(sources=[str(tmp_path)]))
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, EventsView)
                       and "loaded 24 events" in screen_text(app), "archive loaded")
        await pilot.press("colon", *"load", "enter")
        note = ("4 events have no usable eventTime: kept, dated 1970-01-01 (a time filter "
                "leaves them out; find them with before:1971-01-01)")
        await wait_for(pilot, lambda: isinstance(app.screen, LoadView)
                       and note in words(screen_text(app)), "the load page")
        assert "Every log file was read whole." in screen_text(app)
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, EventsView), "back to events")
        await pilot.press("slash", *"before:1971-01-01", "enter")
        await wait_for(pilot, lambda: "4 events" in screen_text(app)
                       and screen_text(app).count("01-01 00:00:00") == 4, "the undated events")
        assert "1970 (UTC)" in screen_text(app)


async def test_status_line_points_to_undated_events_at_80_columns(tmp_path: Path) -> None:
    """The summary's "; N undated" comes after the sizes, past 80 columns: the status
    line says it first, beside the files not read whole, which it does not push out."""
    records = [*all_records()[:20],
               *(dict(r, eventTime="not a time") for r in all_records()[20:23])]
    (tmp_path / "log.json.gz").write_bytes(envelope_gz(records))
    app = offline_app(Options(sources=[str(tmp_path)]))
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: "3 undated (:load) \u00b7 loaded 23 events"
                       in screen_text(app), "the undated events on the status line")
    (tmp_path / "cut.json.gz").write_bytes(envelope_gz(all_records()[30:40])[:-40])
    app = offline_app(Options(sources=[str(tmp_path)]))
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: "1 file not read whole, 3 undated (:load) \u00b7"
                       in screen_text(app), "both on the status line")
