"""The events table says which columns are off its sides (Textual Pilot, 80x24, an archive).

Its horizontal scrollbar drew, in terminals that do not show its thumb's colours, one
stray `▌` at about column 26 of the line above the footer, and nothing said that the
error code, the region and the rest were an `l` away.
"""

from __future__ import annotations

import json
from pathlib import Path

from awsir_tui.cli import Options
from awsir_tui.ui.events_view import EventsView
from tests.helpers_app import screen_text, wait_for
from tests.helpers_events import all_records
from tests.helpers_ui_events import offline_app


def above_footer(text: str) -> str:
    return text.splitlines()[-2]


async def test_the_line_under_the_table_names_the_columns_off_its_sides(tmp_path: Path) -> None:
    (tmp_path / "logs.json").write_text(json.dumps({"Records": all_records()}))
    app = offline_app(Options(sources=[str(tmp_path)]))
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, EventsView)
                       and "loaded" in screen_text(app), "archive loaded")
        await wait_for(pilot, lambda: above_footer(screen_text(app)).startswith(
            "l \u2192 error code, region,"), "the columns to the right")
        assert not set(above_footer(screen_text(app))) & set("\u258f\u258c\u2590")
        await pilot.press("l", "l")
        await wait_for(pilot, lambda: above_footer(screen_text(app)).startswith(
            "h \u2190 !, 2024 (UTC)   l \u2192 error code"), "the columns to the left too")
