"""CursorTable draws its lines again when a cell it was given widens its column.

DataTable measures an updated cell when its queue is next idle, and keeps the lines
it drew under a key without the columns' widths: a line drawn in between kept the old
widths. On `:evidence` (whose reads update cells in place) every column was once left
as wide as its title, `s…` for a snapshot's ID, until a key was pressed."""

from __future__ import annotations

from rich.text import Text
from textual.app import App, ComposeResult

from awsir_tui.ui.cursor_table import CursorTable

SNAPSHOT = "snap-0b62d0889f8b010ad"


class OneTable(App[None]):
    def compose(self) -> ComposeResult:
        yield CursorTable(cursor_type="row")


async def test_a_cell_updated_wider_is_drawn_whole_though_drawn_before_it_was_measured(
) -> None:
    app = OneTable()
    async with app.run_test(size=(60, 6)) as pilot:
        table = app.query_one(CursorTable)
        table.add_column("ID", key="id")
        table.add_column("state", key="state")
        table.add_row(Text("s"), Text("pending"), key="copy")
        await pilot.pause()
        table.update_cell("copy", "id", Text(SNAPSHOT), update_width=True)
        table.update_cell("copy", "state", Text("completed"), update_width=True)
        table.render_line(1)  # the screen drawn before the table's queue was idle
        await pilot.pause()
        await pilot.pause()
        assert f"{SNAPSHOT}  completed" in table.render_line(1).text
