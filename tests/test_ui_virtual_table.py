"""VirtualTable over a source whose reads block: the UI thread never waits for them.

An event store of a million rows may take a second to read a block while a load
writes. The table asks a worker, draws "…" for the rows still coming, keeps its keys,
and drops a block read for rows it has since reloaded.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import AsyncIterator, Sequence
from typing import Any

from textual.app import App, ComposeResult
from textual.pilot import Pilot

from awsir_tui.ui.virtual_table import BLOCK, Column, VirtualTable
from tests.helpers_app import screen_text, wait_for

ROWS = 10 * BLOCK  # blocks 0, 5 (the middle) and 9 (the end) are apart


class GatedSource:
    """Rows 'row N', read only once the test opens the gate; or failing."""

    blocking = True

    def __init__(self, label: str = "row") -> None:
        self.label = label
        self.gate = threading.Event()
        self.reads: list[int] = []
        self.returned = threading.Event()  # set when a read has returned
        self.failure: Exception | None = None

    def count(self) -> int:
        return ROWS

    def fetch(self, offset: int, limit: int) -> Sequence[str]:
        self.reads.append(offset)
        self.gate.wait(30)
        try:
            if self.failure is not None:
                raise self.failure
            return [f"{self.label} {n}" for n in range(offset, min(ROWS, offset + limit))]
        finally:
            self.returned.set()


class TableApp(App[None]):
    def __init__(self, source: GatedSource) -> None:
        super().__init__()
        self.source = source
        self.opened: list[Any] = []  # the rows Enter opened

    def compose(self) -> ComposeResult:
        yield VirtualTable([Column("row", "row", 20, lambda r: r)], self.source)

    def on_virtual_table_row_selected(self, message: VirtualTable.RowSelected) -> None:
        self.opened.append(message.row)


def table_of(app: App[Any]) -> VirtualTable:
    return app.query_one(VirtualTable)


@contextlib.asynccontextmanager
async def reading(
    source: GatedSource,
) -> AsyncIterator[tuple[Pilot[None], TableApp, VirtualTable]]:
    """A table over ``source`` at 40x10, its first block asked of the reader (held at
    the source's gate until the test opens it)."""
    app = TableApp(source)
    async with app.run_test(size=(40, 10)) as pilot:
        table = table_of(app)
        table.reload()
        await pilot.pause()
        yield pilot, app, table


async def show_new_list(pilot: Pilot[None], table: VirtualTable, old: GatedSource) -> None:
    """Another source shown (a filter changed) while ``old``'s read is held; then that
    read let go, its rows come to the UI thread after the new ones."""
    new = GatedSource("new")
    new.gate.set()
    table.set_source(new, count=ROWS)
    await wait_for(pilot, lambda: "new 0" in screen_text(pilot.app), "new rows")
    old.gate.set()
    await wait_for(pilot, lambda: old.returned.is_set(), "old read returned")
    await pilot.pause()


async def test_rows_being_read_show_as_ellipses_and_the_keys_keep_working() -> None:
    source = GatedSource()
    async with reading(source) as (pilot, app, table):
        assert table.loading_rows and "\u2026" in screen_text(app)
        assert "row 0" not in screen_text(app)
        await pilot.press("enter")  # the cursor's row is not read yet: not opened yet
        assert not app.opened
        await pilot.press("G")  # the last block is asked for too; the cursor moves now,
        # and the Enter pressed on row 0 is dropped (asserted once the rows are read)
        assert table.cursor_row == ROWS - 1
        table.cursor_row = ROWS // 2  # a third block: both readers are busy, it waits
        await pilot.pause()
        await pilot.press("g", "j", "j")
        assert table.cursor_row == 2
        source.gate.set()
        await wait_for(pilot, lambda: "row 0" in screen_text(app), "rows read")
        await wait_for(pilot, lambda: not table.loading_rows, "reads settled")
        assert not app.opened  # the cursor had left the row Enter was pressed on
        # Each block read once at most; the middle one, scrolled away while it waited
        # its turn, not at all.
        assert sorted(source.reads) == [0, ROWS - BLOCK]


async def test_enter_on_a_row_being_read_opens_it_once_read() -> None:
    """It said "that row is still being read" and the Enter was lost: at once after a
    load, whose end reads the rows again, Enter did nothing a responder could see."""
    source = GatedSource()
    async with reading(source) as (pilot, app, _table):
        await pilot.press("j", "enter")
        assert not app.opened
        source.gate.set()
        await wait_for(pilot, lambda: app.opened == ["row 1"], "the row opened once read")
        assert not app._notifications


async def test_enter_on_a_row_being_read_is_dropped_when_another_list_is_shown() -> None:
    """A filter changed meanwhile shows another list: the row Enter waited for is not
    in it, and the new list's row at that place is not what was asked for."""
    old = GatedSource("old")
    async with reading(old) as (pilot, app, table):
        await pilot.press("enter")
        await show_new_list(pilot, table, old)
        assert not app.opened


async def test_a_block_read_before_a_reload_is_dropped() -> None:
    old = GatedSource("old")
    async with reading(old) as (pilot, app, table):
        await show_new_list(pilot, table, old)  # the old rows, come last, are dropped
        assert "old" not in screen_text(app) and table.peek_row(0) == "new 0"


async def test_a_read_that_fails_says_so_once_and_is_asked_again_on_reload() -> None:
    source = GatedSource()
    source.failure = OSError("the temp folder is gone")
    source.gate.set()
    app = TableApp(source)
    async with app.run_test(size=(40, 10)) as pilot:
        table = table_of(app)
        table.reload()
        await wait_for(pilot, lambda: any("temp folder is gone" in str(n.message)
                                       for n in app._notifications), "failure shown")
        assert "\u2026" in screen_text(app)  # no rows pretended
        source.failure = None
        await pilot.press("j", "j")  # redraws do not ask again (one error, not one a key)
        assert source.reads == [0]
        table.reload()  # a reload (the view's r, or new rows) does
        await wait_for(pilot, lambda: "row 0" in screen_text(app), "read again")


async def test_a_cut_value_ends_in_an_ellipsis() -> None:
    """'row 1234567890123456789' in 20 cells: cut, and marked as cut (two long names
    that differ only at the end must not look alike)."""
    source = GatedSource("row 1234567890123456789")
    source.gate.set()
    app = TableApp(source)
    async with app.run_test(size=(40, 10)) as pilot:
        table_of(app).reload()
        await wait_for(pilot, lambda: "row 12345" in screen_text(app), "rows read")
        assert "row 123456789012345\u2026 " in screen_text(app)
