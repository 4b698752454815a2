"""`:evidence` at 80x24 (#5): a row read ``snap-…  completed  12-01 21:08  xvda
i-…90b7fe51  account-12345``, the instance's ID cut in its middle, and `l` scrolled by
characters, the snapshot's ID cut to its last four at the left edge. What it copies
shows its instance's ID whole, and h/l move by whole columns: after `l` a column
starts beside the ID and state, which stay, the case and region whole in sight."""

from __future__ import annotations

import re
from typing import Any

from textual.widgets import DataTable

from awsir_tui.app import AwsirApp
from awsir_tui.ui.evidence import EvidenceView
from tests.helpers_app import demo_app, open_view, screen_text, wait_for
from tests.helpers_evidence import snapshot_with_f
from tests.test_ui_evidence import line_of


def header_and_row(app: AwsirApp) -> tuple[str, str]:
    """The table's header line and the line of its first row."""
    lines = screen_text(app).splitlines()
    top = app.screen.query_one(DataTable).region.y
    return lines[top], lines[top + 1]


async def test_evidence_ids_whole_and_columns_scroll_whole(demo: Any) -> None:
    malicious = demo.facts.malicious_instance_id
    app = demo_app(demo, allow_actions=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: app.case is not None, "case open")
        snapshot = await snapshot_with_f(pilot, app, malicious)
        view = await open_view(pilot, app, "evidence")
        assert isinstance(view, EvidenceView)
        await wait_for(pilot, lambda: "completed" in line_of(app, snapshot), "the copy")
        assert re.search(rf"^ {snapshot} +completed .* \S+ {malicious}\b",
                         line_of(app, snapshot)), screen_text(app)
        first_screen = header_and_row(app)[0]

        table = app.screen.query_one(DataTable)
        cells = [text.plain for text in table.get_row_at(0)]
        titles = [str(column.label).split()[0] for column in table.ordered_columns]
        for _ in range(3):  # to the last column, and no further
            await pilot.press("l")
            # A column's title starts the header, its cell the row: none is cut. (Once
            # the scroll has settled: CI read a frame half way, "ade (UTC)".)
            await wait_for(pilot, lambda: header_and_row(app)[0].split()[2] in titles,
                           "the scroll settled on a column's start")
            header, row = header_and_row(app)
            # The ID and state stay; the column beside them starts whole.
            assert header.split()[:2] == ["ID", "state"], header
            column = titles.index(header.split()[2])
            assert row.split()[:3] == [snapshot, "completed", cells[column].split()[0]], (
                header, row)
        assert row.split()[-2:] == cells[-2:], (header, row)  # the case and region whole

        await pilot.press("h", "h", "h")
        await wait_for(pilot, lambda: header_and_row(app)[0] == first_screen, "back at ID")
        assert table.scroll_x == 0
