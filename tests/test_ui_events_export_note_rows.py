"""The export's note on the events status line stands with the rows it was made of
(#5, responder review at 80x24): after `x`, a new filter's list still said "PARTIAL
exported 2,000 events (since:90d) …", its filter cut off at 80 columns, so that PARTIAL
read as the verdict on the list on screen. Keys pressed over an archive of real logs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from awsir_tui.cli import Options
from awsir_tui.ui.events_detail import EventDetailView
from tests.helpers_app import wait_for
from tests.helpers_events import SHARED, all_records
from tests.helpers_ui_events import archive_loaded, offline_app, status_line

LOGS = SHARED / "stratus-red-team"


async def test_export_note_goes_with_another_filter_and_stays_with_its_rows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWSIR_TUI_EXPORT_DIR", str(tmp_path / "exports"))
    app = offline_app(Options(sources=[str(LOGS)]))
    async with app.run_test(size=(80, 24)) as pilot:
        view = await archive_loaded(pilot, app)
        await pilot.press("x")
        await wait_for(pilot, lambda: "exported" in status_line(view), "the export's note")
        # Back from an event's page: the same rows, the note stays.
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, EventDetailView), "the page")
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is view, "the list again")
        assert "exported" in status_line(view)
        # Another filter: other rows, no export of them.
        shown = view.selection
        await pilot.press("slash", "ctrl+a", "ctrl+k", *"name:ListBuckets", "enter")
        await wait_for(pilot, lambda: view.selection is not shown
                       and view.table.source is view.selection, "the new filter's rows")
        assert view.filter_text == "name:ListBuckets"
        assert "exported" not in status_line(view), status_line(view)


async def test_export_note_goes_when_L_adds_to_the_same_rows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Review: L on a capped read or a load going on grows the same list, and its note
    said "exported 310 events" beside more rows than it wrote."""
    monkeypatch.setenv("AWSIR_TUI_EXPORT_DIR", str(tmp_path / "exports"))
    logs = tmp_path / "logs"
    logs.mkdir()
    records = all_records()
    whole = json.dumps({"Records": records})
    (logs / "a.json").write_text(whole)
    (logs / "b.json").write_text(whole[:40])  # cut short: skipped, L tries it again
    app = offline_app(Options(sources=[str(logs)]))
    async with app.run_test(size=(80, 24)) as pilot:
        view = await archive_loaded(pilot, app)
        await pilot.press("x")
        await wait_for(pilot, lambda: f"exported {len(records)} events" in status_line(view),
                       "the export's note")
        again = [{**r, "eventID": f"b-{r['eventID']}"} for r in records]
        (logs / "b.json").write_text(json.dumps({"Records": again}))
        await pilot.press("L")
        await wait_for(pilot, lambda: view.table.row_count == 2 * len(records)
                       and "loaded" in status_line(view), "the rest loaded")
        assert "exported" not in status_line(view), status_line(view)
