"""`:stack` by two fields at 80x24 sizes its columns to the values they show (#5).

By name and user, the event names were cut (``DescribeInstanceInfor…``) while the user
column kept wide padding beside ``christophe``: the two shared the room alike and the
bar kept its 20 cells. An event name needs ~30 cells, an IPv4 address 15, an instance
ID 19, an access key 20: a column keeps that much while the others give way.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from textual.pilot import Pilot

from awsir_tui.app import AwsirApp
from awsir_tui.cli import Options
from awsir_tui.ui.stack_view import StackView
from tests.helpers_app import screen_text, wait_for
from tests.helpers_events import all_records
from tests.helpers_ui_events import offline_app
from tests.test_ui_stack import stack_over_the_archive

#: The second field F picks, its title word, and the cells its values need whole.
SECOND_FIELDS = [("user", 19), ("key", 20), ("ip", 15)]
NAME_WIDTH = 30


async def test_two_fields_show_event_names_users_keys_and_ips_whole(tmp_path: Path) -> None:
    (tmp_path / "logs.json").write_text(json.dumps({"Records": all_records()}))
    app = offline_app(Options(sources=[str(tmp_path)]))
    async with app.run_test(size=(80, 24)) as pilot:
        stack = await stack_over_the_archive(pilot, app)
        for field, width in SECOND_FIELDS:
            await pilot.press("F")
            await shown_whole(pilot, app, stack, field, width)
        assert "DescribeInstanceInformation " in screen_text(app)


async def shown_whole(
    pilot: Pilot[Any], app: AwsirApp, stack: StackView, field: str, width: int
) -> None:
    """Once the count by name and ``field`` is on screen, its rows on screen whose values
    fit their widths are each drawn whole, on one line (the columns are laid out once
    the table is idle: waited for)."""
    await wait_for(pilot, lambda: f"count by name and {field} \u00b7" in screen_text(app),
                   f"by name and {field}")
    due = [(str(name), str(value)) for name, value, _ in stack.rows[:15]
           if len(str(name)) <= NAME_WIDTH and len(str(value)) <= width]
    assert len(due) >= 5
    await wait_for(pilot, lambda: all(
        any(f" {name} " in line and f" {value} " in line
            for line in screen_text(app).splitlines()) for name, value in due),
        f"names and {field}s whole")
