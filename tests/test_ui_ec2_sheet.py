"""A page written again (a section loaded, a reload) keeps the reader's place: the
instance's, the group's and the role's pages all rewrite their sheet the same way."""

from __future__ import annotations

from textual.app import App, ComposeResult

from awsir_tui.demo.server import DemoServer
from awsir_tui.ui.ec2_details import InstanceDetailsView
from awsir_tui.ui.ec2_table import Sheet
from tests.helpers_app import wait_for
from tests.helpers_ec2 import make_app, move_to, open_instance_details, sheet


class OneSheet(App[None]):
    def compose(self) -> ComposeResult:
        yield Sheet()


def write(table: Sheet, rows: int) -> None:
    with table.rewrite():
        table.section("Rows")
        for n in range(rows):
            table.line(f"row {n}", str(n))


async def test_a_rewrite_keeps_the_cursor_row_or_the_last_one_left() -> None:
    app = OneSheet()
    async with app.run_test(size=(80, 24)) as pilot:
        table = app.query_one(Sheet)
        write(table, 10)
        table.move_cursor(row=7)
        write(table, 12)
        await pilot.pause()
        assert table.cursor_row == 7 and table.texts()[7] == "row 6 6"
        write(table, 3)  # fewer rows than where the cursor was: the last one
        await pilot.pause()
        assert table.cursor_row == 3
        assert table.target() is None and table.copy_value() == "2"


async def test_r_reloads_the_details_and_the_cursor_stays_on_its_row(demo: DemoServer) -> None:
    app = make_app(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_instance_details(pilot, app, demo.facts.proxy_instance_id)
        view = app.screen
        assert isinstance(view, InstanceDetailsView)
        before = view.details
        await move_to(pilot, app, "Role")
        row = view.sheet.cursor_row
        await pilot.press("r")
        await wait_for(pilot, lambda: view.details is not before and view.loaded, "reloaded")
        await pilot.pause()
        assert view.sheet.cursor_row == row and sheet(app)[row].startswith("Role")
