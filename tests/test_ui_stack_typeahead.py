"""Keys typed right after f or t in `:stack` act on the table they ask for (#5).

`t⏎` in one read over SSH: t's count runs in a thread, and Enter opened a group of the
counts being left (`events user:=christophe`), not the timeline's first bucket; in the
timeline, `f⏎` opened a time bucket. They now wait for the new table.
"""

from __future__ import annotations

from pathlib import Path

from textual import events

from awsir_tui.ui.events_view import EventsView
from awsir_tui.ui.stack_view import group_term
from tests.helpers_app import screen_text, wait_for


async def test_t_and_enter_at_once_open_a_bucket_and_f_and_enter_a_group(
    tmp_path: Path,
) -> None:
    import json

    from awsir_tui.cli import Options
    from tests.helpers_events import all_records
    from tests.helpers_ui_events import offline_app
    from tests.test_ui_stack import stack_over_the_archive

    (tmp_path / "logs.json").write_text(json.dumps({"Records": all_records()}))
    app = offline_app(Options(sources=[str(tmp_path)]))
    async with app.run_test(size=(80, 24)) as pilot:
        stack = await stack_over_the_archive(pilot, app)
        await pilot.press("f")
        await wait_for(pilot, lambda: "count by user" in screen_text(app), "by user")
        app.post_message(events.Key("t", "t"))
        app.post_message(events.Key("enter", "\r"))
        await wait_for(pilot, lambda: isinstance(app.screen, EventsView), "events")
        assert app.screen.filter_text.startswith("after:")  # a bucket, not user:=…
        assert stack.shown.timeline
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is stack, "back on the timeline")
        app.post_message(events.Key("f", "f"))
        app.post_message(events.Key("enter", "\r"))
        await wait_for(pilot, lambda: isinstance(app.screen, EventsView), "events")
        assert not stack.shown.timeline  # the new field's first group, not a bucket
        assert app.screen.filter_text == group_term(stack.shown.fields[0], stack.rows[0][0])


async def test_g_typed_after_t_goes_to_the_new_table_s_last_row(tmp_path: Path) -> None:
    """A cursor key typed with t moved the table being left, then the new one came
    with its cursor on the first row."""
    import json

    from textual.widgets import DataTable

    from awsir_tui.cli import Options
    from tests.helpers_events import all_records
    from tests.helpers_ui_events import offline_app
    from tests.test_ui_stack import stack_over_the_archive

    (tmp_path / "logs.json").write_text(json.dumps({"Records": all_records()}))
    app = offline_app(Options(sources=[str(tmp_path)]))
    async with app.run_test(size=(80, 24)) as pilot:
        stack = await stack_over_the_archive(pilot, app)
        await wait_for(pilot, lambda: bool(stack.rows), "counted")
        app.post_message(events.Key("t", "t"))
        app.post_message(events.Key("G", "G"))
        await wait_for(pilot, lambda: stack.shown.timeline, "the timeline")
        table = stack.query_one(DataTable)
        await wait_for(pilot, lambda: table.row_count > 1
                       and table.cursor_row == table.row_count - 1, "on its last row")
