""":indicators at 80x24 as QA walked it (#6): on the page of a call made with an
instance's stolen credentials, its principal ID (with the session), event ID, source IP
and the caller's ARN marked. The value column was 20 cells (``AROA…:i-…`` and the event
ID cut) and the time headers did not say their zone."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from awsir_tui.cli import Options
from awsir_tui.ui.case_views import IndicatorsView
from awsir_tui.ui.events_detail import EventDetailView
from tests.helpers_app import open_view, screen_text, wait_for
from tests.helpers_events import STRATUS
from tests.helpers_ui_events import archive_loaded, offline_app

#: The fields marked on the page, as QA did.
MARKED = ("principalId", "eventID", "sourceIPAddress", "arn")


@pytest.fixture(autouse=True)
def isolated_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))


async def mark(pilot: Pilot[Any], page: EventDetailView, key: str) -> None:
    """``/key`` on the page, then m on the field found."""
    await pilot.press("slash", *key, "enter")
    await wait_for(pilot, lambda: page.json_tree.cursor_node is not None
                   and page.json_tree.cursor_node.data is not None
                   and page.json_tree.cursor_node.data.key == key, key)
    await pilot.press("m")


async def test_an_attack_event_s_values_show_whole_and_the_times_their_zone() -> None:
    app = offline_app(Options(sources=[str(STRATUS)]))
    async with app.run_test(size=(80, 24)) as pilot:
        view = await archive_loaded(pilot, app)
        await pilot.press("slash", *"key:ASIAP5CT9NN8EYVU1FXV", "enter")
        await wait_for(pilot, lambda: view.table.peek_row(0) is not None, "the rows")
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, EventDetailView)
                       and "userIdentity" in screen_text(app), "the event's page")
        page = app.screen
        assert isinstance(page, EventDetailView)
        for key in MARKED:
            await mark(pilot, page, key)
        await wait_for(pilot, lambda: len(app.case.case.indicators) == len(MARKED),  # type: ignore[union-attr]
                       "the marks")
        indicators = await open_view(pilot, app, "indicators")
        assert isinstance(indicators, IndicatorsView)
        await wait_for(pilot, lambda: len(indicators._indicators()) == len(MARKED), "the rows")
        lines = screen_text(app).splitlines()
        header = next(n for n, line in enumerate(lines) if line.lstrip().startswith("kind"))
        # The archive is of 2024: its year in the header, the zone too; not in each row.
        assert "first seen 2024 (UTC)" in lines[header], lines[header]
        rows = lines[header + 1:header + 1 + len(MARKED)]
        for item, row in zip(indicators._indicators(), rows, strict=True):
            if item.kind != "arn":  # as far as it goes: the pane says it whole
                assert f" {item.value} " in row, (item.value, row)
            # Its first seen, the year left out: the marked event's time, or an earlier
            # loaded event's naming the value (the wider span, #5).
            assert re.search(r"  08-02 08:2[0-3]\b", row), row
        values = {item.value for item in indicators._indicators()}
        assert any(":i-786a3A8B5C0d92eF4" in value for value in values), values
        assert any(len(value) == 36 and value.count("-") == 4 for value in values), values
