"""An EC2 list after the terminal is resized: every row is laid out again with the
header, and no column runs past the header's last one, cut by the screen's edge
without a mark. Keys pressed on the demo account, 80x24 then 60x20."""

from __future__ import annotations

from awsir_tui.app import AwsirApp
from awsir_tui.demo.server import DemoServer
from awsir_tui.ui.ec2_instances import InstancesView
from awsir_tui.ui.ec2_table import ObjectTable
from tests.helpers_app import screen_text, wait_for
from tests.helpers_ec2 import loaded_list, make_app


def table_lines(app: AwsirApp, width: int) -> list[str]:
    """The list's header and rows as on screen (below the app header and breadcrumb,
    above the status and footer), without the scrollbar's two cells at the right."""
    return [line[:width - 2].rstrip() for line in screen_text(app).splitlines()[2:-2]]


async def test_rows_are_laid_out_again_with_the_header_after_a_resize(
    demo: DemoServer,
) -> None:
    app = make_app(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded_list(pilot, app, InstancesView)
        table = app.screen.query_one(ObjectTable)
        await pilot.resize_terminal(60, 20)
        await wait_for(pilot, lambda: table.size.width == 60, "the table at 60 columns")
        await pilot.pause()
        placed = table.placed_columns()
        end = sum(width for _, width in placed) + len(placed) - 1  # the columns and gaps
        header, *rows = table_lines(app, 60)
        assert header.endswith("\u00bb")  # columns hidden to the right
        assert [word for word in header.split() if word not in "\u00bb\u25bc"] == [
            table.columns_spec[index][0] for index, _ in placed]
        assert len(rows) > 5
        # A row stops where the header's last column does; at 80 its cut Launched date
        # ran on past it ("running    2026-11-3") under no heading and with no …
        assert all(len(row) <= end for row in rows), (header, rows[:3])
        state = [index for index, _ in placed].index(
            [header for header, _ in table.columns_spec].index("State"))
        shown_state = sum(width + 1 for _, width in placed[:state])
        assert rows[0][shown_state:].strip() in {"running", "stopped", "pending"}, rows[0]
