"""`:stack` answers y, x and E (#5): at 80x24 over the Stratus archive, `y` copied
nothing and `x` and `E` said nothing, where `m` and `/` say why they do not apply.
`y` copies the group's value as the other lists copy theirs; `x` and `E` say where
they work (the group's events, one Enter away)."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

from awsir_tui.cli import Options
from awsir_tui.query.times import utc_stamp
from awsir_tui.ui.stack_view import STACK_FIELDS
from tests.helpers_app import said_after, screen_text, wait_for
from tests.helpers_events import all_records
from tests.helpers_ui_events import offline_app
from tests.test_ui_ec2_yank import press_y
from tests.test_ui_stack import stack_over_the_archive


async def test_y_copies_the_groups_value_and_x_and_e_say_where_they_work(
    tmp_path: Path,
) -> None:
    records = all_records()
    (tmp_path / "logs.json").write_text(json.dumps({"Records": records}))
    app = offline_app(Options(sources=[str(tmp_path)]))
    async with app.run_test(size=(80, 24)) as pilot:
        stack = await stack_over_the_archive(pilot, app)
        await wait_for(pilot, lambda: bool(stack.rows) and "count by name" in screen_text(app),
                       "counted by name")
        await pilot.press("j")
        await press_y(pilot, app, str(stack.rows[1][0]))

        # By two fields, the first field's value, as m marks it.
        await pilot.press("F")
        await wait_for(pilot, lambda: "count by name and user" in screen_text(app), "two fields")
        await pilot.press("g")
        await press_y(pilot, app, str(stack.rows[0][0]))

        # A group with no value has nothing to copy, and says so.
        others = [name for name in STACK_FIELDS if name != "user_name"]
        await pilot.press(*["f"] * others.index("error_code"))
        await wait_for(pilot, lambda: "count by error and user" in screen_text(app), "by error")
        none = next(i for i, row in enumerate(stack.rows) if not row[0])
        await pilot.press("g", *["j"] * none)
        assert await said_after(pilot, app, "y") == "this group has no error: nothing to yank"

        # A timeline bucket: its start, as after: reads it.
        await pilot.press("t")
        await wait_for(pilot, lambda: "events per" in screen_text(app), "the timeline")
        await pilot.press("G")
        start = stack.rows[-1][0]
        assert isinstance(start, datetime)
        await press_y(pilot, app, utc_stamp(start))

        assert "Enter opens this group's events" in await said_after(pilot, app, "x")
        assert "Enter opens this group's events" in await said_after(pilot, app, "E")
