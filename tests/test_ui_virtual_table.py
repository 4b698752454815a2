"""VirtualTable over a source whose reads block: the UI thread never waits for them.

An event store of a million rows may take a second to read a block while a load
writes. The table asks a worker, draws "…" for the rows still coming, keeps its keys,
and drops a block read for rows it has since reloaded.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import Any

from textual.app import App, ComposeResult

from awsir_tui.ui.virtual_table import BLOCK, Column, VirtualTable
from tests.helpers_app import screen_text
from tests.helpers_ui_events import until

ROWS = 10 * BLOCK


class GatedSource:
    """Rows 'row N', read only once the test opens the gate; or failing."""

    blocking = True

    def __init__(self, label: str = "row") -> None:
        self.label = label
        self.gate = threading.Event()
        self.reads: list[int] = []
        self.failure: Exception | None = None

    def count(self) -> int:
        return ROWS

    def fetch(self, offset: int, limit: int) -> Sequence[str]:
        self.reads.append(offset)
        self.gate.wait(30)
        if self.failure is not None:
            raise self.failure
        return [f"{self.label} {n}" for n in range(offset, min(ROWS, offset + limit))]


class TableApp(App[None]):
    def __init__(self, source: GatedSource) -> None:
        super().__init__()
        self.source = source

    def compose(self) -> ComposeResult:
        yield VirtualTable([Column("row", "row", 20, lambda r: r)], self.source)


def table_of(app: App[Any]) -> VirtualTable:
    return app.query_one(VirtualTable)


async def test_rows_being_read_show_as_ellipses_and_the_keys_keep_working() -> None:
    source = GatedSource()
    app = TableApp(source)
    async with app.run_test(size=(40, 10)) as pilot:
        table = table_of(app)
        table.reload()
        await pilot.pause()
        assert table.loading_rows and "\u2026" in screen_text(app)
        assert "row 0" not in screen_text(app)
        await pilot.press("G")  # the last block is asked for too; the cursor moves now
        assert table.cursor_row == ROWS - 1
        await pilot.press("g", "j", "j")
        assert table.cursor_row == 2
        source.gate.set()
        await until(pilot, lambda: "row 0" in screen_text(app), "rows read")
        assert not table.loading_rows
        assert set(source.reads) >= {0, ROWS - BLOCK}
        assert len(source.reads) == len(set(source.reads))  # each block asked once


async def test_a_block_read_before_a_reload_is_dropped() -> None:
    old = GatedSource("old")
    app = TableApp(old)
    async with app.run_test(size=(40, 10)) as pilot:
        table = table_of(app)
        table.reload()
        await pilot.pause()
        new = GatedSource("new")
        new.gate.set()
        table.set_source(new, count=ROWS)
        await until(pilot, lambda: "new 0" in screen_text(app), "new rows")
        old.gate.set()  # the old read lands after the new source is shown
        await pilot.pause(0.2)
        assert "old" not in screen_text(app) and table.row(0) == "new 0"


async def test_a_read_that_fails_says_so_and_is_asked_again() -> None:
    source = GatedSource()
    source.failure = OSError("the temp folder is gone")
    source.gate.set()
    app = TableApp(source)
    async with app.run_test(size=(40, 10)) as pilot:
        table = table_of(app)
        table.reload()
        await until(pilot, lambda: any("temp folder is gone" in str(n.message)
                                       for n in app._notifications), "failure shown")
        assert "\u2026" in screen_text(app)  # no rows pretended
        source.failure = None
        table.refresh()
        await until(pilot, lambda: "row 0" in screen_text(app), "read again")
