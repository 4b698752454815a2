"""`:findings` at 80x24 says the year of its times as the events table does: QA's
finding of StopLogging in 2023 and again in 2024 read ``07-31 13:06`` twice, as one
moment, and an archive of 2024 as this year's."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from awsir_tui.cli import Options
from awsir_tui.ui.findings_view import FindingsView
from tests.helpers_app import screen_text, wait_for
from tests.helpers_detect import STRATUS
from tests.helpers_ui_events import offline_app

SIZE = (80, 24)
STOP = STRATUS / "aws.defense-evasion.cloudtrail-stop.json"


@pytest.fixture(autouse=True)
def data_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The app's case goes to a fresh XDG data directory."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    return tmp_path / "data"


def folder_of(tmp_path: Path, *years: str) -> str:
    """The StopLogging file once per year, that year in its eventTime, new event IDs."""
    folder = tmp_path / "logs"
    folder.mkdir()
    original = STOP.read_text()
    for year in years:
        records = json.loads(original.replace('"2024-07-31T', f'"{year}-07-31T'))
        for record in records:
            record["eventID"] = f"{year}-{record['eventID']}"
        (folder / f"stop-{year}.json").write_text(json.dumps(records))
    return str(folder)


async def findings_of(pilot: Any, app: Any) -> str:
    """:findings over the --source folder, run to the end; the screen then."""
    await wait_for(pilot, lambda: app.screen.__class__.__name__ == "EventsView"
                   and app.archive is not None and app.archive.report is not None,
                   "the archive", seconds=30)
    await pilot.press("colon", *"findings", "enter")
    await wait_for(pilot, lambda: isinstance(app.screen, FindingsView)
                   and not app.screen.running and bool(app.screen.findings), seconds=60)
    await wait_for(pilot, lambda: "07-31 13:06" in screen_text(app), "the times drawn")
    return screen_text(app)


async def test_a_finding_over_two_years_shows_the_year_in_its_row(tmp_path: Path) -> None:
    app = offline_app(Options(sources=[folder_of(tmp_path, "2023", "2024")]))
    async with app.run_test(size=SIZE) as pilot:
        text = await findings_of(pilot, app)
        row = next(line for line in text.splitlines() if "13:06" in line)
        assert "2023-07-31 13:06" in row and "2024-07-31 13:06" in row, text
        assert "when (UTC)" in text  # nothing run off


async def test_findings_of_another_year_say_it_in_the_status_line(tmp_path: Path) -> None:
    """Said once, not in both headers: ``first 2024 (UTC)`` over ``07-31 13:06`` took
    the title ten cells, and it read ``CloudTrail lo…`` (responder review)."""
    app = offline_app(Options(sources=[folder_of(tmp_path, "2024")]))
    async with app.run_test(size=SIZE) as pilot:
        text = await findings_of(pilot, app)
        assert "1 finding of 2024 (1 high) over" in text, text
        header = next(line for line in text.splitlines() if "summary" in line)
        assert "when (UTC)" in header, header
        assert "2024" not in header, header
        row = next(line for line in text.splitlines() if "13:06" in line)
        assert row.count("07-31 13:06") == 1 and "2024-07-31" not in row
        # The title has the room the year took: 21 letters and its "…" (the summary,
        # which tells two findings of one rule apart, has the rest).
        assert "CloudTrail logging st\u2026" in row, row
