"""A table that stays fast at a million rows: it renders only the rows on screen.

Textual's DataTable builds every cell up front and bogs down around a million cells
(GUIDE section 7). This widget is a ScrollView on the Line API: its virtual height is
the row count, and each visible line asks a :class:`RowSource` for its row by offset.
Rows are fetched in blocks kept in a small LRU cache, so scrolling costs one query per
block, not per line. A source whose reads may take long (an event store of a million
rows while a load writes) says so with ``blocking = True``: its blocks are read by the
table's own two reader threads, only while still on screen, the lines
wait as "…" for the one frame or second it takes, and the keys keep working meanwhile.
Every cell is cleaned and laid out as plain segments: a value from the attacker can
neither inject markup nor repaint the terminal.
"""

from __future__ import annotations

import contextlib
from collections import OrderedDict
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, ClassVar, Protocol

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.binding import Binding, BindingType
from textual.events import Click
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.widget import Widget

from awsir_tui.text import clean
from awsir_tui.ui.paging_keys import PAGING_KEYS, Pages, lines_for


def no_row(to: str, reading: bool = False) -> str:
    """What a key that acts on the row under the cursor (Enter, E, y, m) says on a list
    with no row, ``to`` what it would have done: it said nothing, where `m` said why, and
    a key that does nothing at all reads as a broken one. While rows may still come
    (``reading``: a read or a load runs), that they may: "the list is empty" under
    ``starting…`` read as "nothing matched"."""
    if reading:
        return f"no row to {to} yet: still reading"
    return f"no row to {to}: the list is empty"


def say_no_row(widget: Widget, to: str, reading: bool = False) -> None:
    """Tell the user there is no row ``to`` act on (:func:`no_row`), as a warning."""
    widget.notify(no_row(to, reading), severity="warning", timeout=3)


#: Rows fetched per query, and how many such blocks the cache keeps.
BLOCK = 500
CACHED_BLOCKS = 16
#: Threads reading blocks for one table over a blocking source.
READERS = 2


class RowSource(Protocol):
    """Rows by position: what the table needs from a store, a list, anything."""

    def count(self) -> int:
        """How many rows there are."""
        ...

    def fetch(self, offset: int, limit: int) -> Sequence[Any]:
        """Rows ``offset`` .. ``offset + limit - 1`` (fewer at the end)."""
        ...


def may_block(source: RowSource) -> bool:
    """Whether ``source`` asks for its reads to be kept off the UI thread."""
    return bool(getattr(source, "blocking", False))


class EmptySource:
    """No rows (before the first query ran)."""

    def count(self) -> int:
        return 0

    def fetch(self, offset: int, limit: int) -> Sequence[Any]:
        return ()


@dataclass(frozen=True, slots=True)
class Column:
    """A column: its id, its header, its width in cells and how to read a row's value."""

    key: str
    label: str
    width: int
    value: Callable[[Any], object]


class VirtualTable(Pages, ScrollView, can_focus=True):
    """A keyboard-driven table over a :class:`RowSource`, one line per row."""

    DEFAULT_CSS = """
    VirtualTable { height: 1fr; scrollbar-size-vertical: 1; }
    VirtualTable > .virtual-table--header { text-style: bold; background: $panel; }
    VirtualTable > .virtual-table--cursor { background: $accent; color: $text; }
    VirtualTable > .virtual-table--error { color: $error; }
    """
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "virtual-table--header",
        "virtual-table--cursor",
        "virtual-table--error",
    }
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up,k", "cursor_up", "Up", show=False, id="table.up"),
        Binding("down,j", "cursor_down", "Down", show=False, id="table.down"),
        *PAGING_KEYS,
        Binding("home,g", "first", "Top", show=False, id="table.top"),
        Binding("end,G", "last", "Bottom", show=False, id="table.bottom"),
        Binding("left,h", "scroll_left", "Column left", show=False, id="table.left"),
        Binding("right,l", "scroll_right", "Column right", show=False, id="table.right"),
        Binding("enter", "select", "Open", id="table.open"),
    ]

    cursor_row: reactive[int] = reactive(0, always_update=True)

    class RowSelected(Message):
        """Enter on a row."""

        def __init__(self, table: VirtualTable, index: int, row: Any) -> None:
            super().__init__()
            self.table = table
            self.index = index
            self.row = row

    class CursorMoved(Message):
        """The cursor moved to another row (for a detail line or a status)."""

        def __init__(self, table: VirtualTable, index: int) -> None:
            super().__init__()
            self.table = table
            self.index = index

    def __init__(
        self,
        columns: Sequence[Column],
        source: RowSource | None = None,
        *,
        row_style: Callable[[Any], str] | None = None,
        reading: Callable[[], bool] | None = None,
        fixed_columns: int = 0,
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self.columns = list(columns)
        #: How many columns from the left stay in sight when h/l scroll the others: a
        #: row's time, without which its error code or region, one l away, told nothing.
        self.fixed_columns = fixed_columns
        self.source: RowSource = source or EmptySource()
        #: A component class name (e.g. "virtual-table--error") for a row, or "".
        self.row_style = row_style
        #: Whether rows may still come to the source shown (its view reads them), for
        #: what Enter says with no row (:func:`no_row`); by default they are all there.
        self.reading = reading or (lambda: False)
        #: Said in the rows' place while there is no row (:meth:`say_when_empty`).
        self._empty_text = ""
        self._blocks: OrderedDict[int, Sequence[Any]] = OrderedDict()
        self._count = 0
        self.fetches = 0
        #: Blocks the reader is asked for (blocking sources), blocks whose read failed
        #: (not asked again until a reload), and the reload they belong to: a block
        #: read before the last reload is dropped when it arrives.
        self._pending: set[int] = set()
        self._failed: set[int] = set()
        self._generation = 0
        #: The table's own reader threads: reads queue behind them instead of filling
        #: the app's shared worker pool (the load and the searches need it). Two, so
        #: that a slow read for rows since replaced does not hold up the new ones.
        self._reader: ThreadPoolExecutor | None = None
        #: (cursor row, top row, rows on screen) as the UI thread last drew them: what
        #: a reader thread checks its block against, rather than the widget's own state
        #: (scroll position and layout belong to the UI thread).
        self._view = (0, 0, 1)
        #: The row a key (Enter, m) was pressed on while its block was being read, and
        #: what the key does: done when the block arrives, unless the cursor has moved
        #: on or another source is shown (:meth:`when_read`).
        self._when_read: tuple[int, Callable[[], object]] | None = None

    # -- data -------------------------------------------------------------------------

    @property
    def row_count(self) -> int:
        return self._count

    def set_source(self, source: RowSource, count: int | None = None) -> None:
        """Show another source from its first row (``count``: see :meth:`reload`)."""
        self.source = source
        self.reload(keep_cursor=False, count=count)

    def set_columns(self, columns: Sequence[Column]) -> None:
        """Change the columns (e.g. local time instead of UTC) and redraw."""
        self.columns = list(columns)
        self._update_virtual_size()
        self.refresh()

    def reload(self, keep_cursor: bool = True, count: int | None = None) -> None:
        """Forget cached rows and recount (rows were added, or the filter changed).

        ``count``, when the caller has it (counted in its worker), saves asking the
        source on the UI thread."""
        self._blocks.clear()
        self._pending.clear()
        self._failed.clear()
        self._generation += 1
        if not keep_cursor:  # another list: the row a key waited for is not in it
            self._when_read = None
        self._count = max(0, self.source.count() if count is None else count)
        self._update_virtual_size()
        if not keep_cursor:
            self.scroll_to(0, 0, animate=False)
            self.cursor_row = 0
        else:
            self.cursor_row = min(self.cursor_row, max(0, self._count - 1))
        self.refresh()

    def row(self, index: int) -> Any | None:
        """The row at ``index`` (from the cache, else fetched with its block)."""
        if not 0 <= index < self._count:
            return None
        start = index - index % BLOCK
        block = self._blocks.get(start)
        if block is None:
            block = self.source.fetch(start, BLOCK)
            self.fetches += 1
            self._blocks[start] = block
            if len(self._blocks) > CACHED_BLOCKS:
                self._blocks.popitem(last=False)
        else:
            self._blocks.move_to_end(start)
        offset = index - start
        return block[offset] if offset < len(block) else None

    def row_at_cursor(self) -> Any | None:
        return self.row(self.cursor_row)

    def peek_row(self, index: int) -> Any | None:
        """The row at ``index`` if it is at hand (always, for a source that does not
        block), else None: what the UI thread may ask of a blocking source."""
        if not may_block(self.source):
            return self.row(index)
        block = self._blocks.get(index - index % BLOCK)
        offset = index % BLOCK
        return block[offset] if block is not None and offset < len(block) else None

    def cached_row(self, index: int) -> Any | None:
        """The row at ``index`` if its block is here; else None, and for a blocking
        source the block is asked of the reader (the line redraws when it arrives)."""
        if not may_block(self.source):
            return self.row(index)
        if not 0 <= index < self._count:
            return None
        self._view = (self.cursor_row, int(self.scroll_y), self._page)
        start = index - index % BLOCK
        if start in self._blocks:
            self._blocks.move_to_end(start)
        elif start not in self._pending and start not in self._failed:
            self._pending.add(start)
            if self._reader is None:
                self._reader = ThreadPoolExecutor(READERS, thread_name_prefix="virtual-table")
            self._reader.submit(self._read_block, self.source, self._generation, start)
        return self.peek_row(index)

    @property
    def loading_rows(self) -> bool:
        """Whether the reader is reading rows this table waits for."""
        return bool(self._pending)

    def _read_block(self, source: RowSource, generation: int, start: int) -> None:
        """Reader thread: read one block, unless the table has moved on (reloaded, or
        scrolled away while the block waited its turn); hand it to the UI thread."""
        rows: Sequence[Any] | str | None = None
        if generation == self._generation and self._wanted(start):
            try:
                rows = source.fetch(start, BLOCK)
            except Exception as exc:  # a failed read must say so, not look like no rows
                rows = f"rows {start:,}-{start + BLOCK - 1:,} could not be read: {clean(exc, 300)}"
        with contextlib.suppress(RuntimeError):  # the app has closed meanwhile
            self.app.call_from_thread(self._block_read, generation, start, rows)

    def _wanted(self, start: int) -> bool:
        """Whether block ``start`` holds the cursor's row or a row on screen (reader
        thread: as last drawn)."""
        cursor, top, page = self._view
        return any(start <= i < start + BLOCK for i in (cursor, top, top + page))

    def _block_read(self, generation: int, start: int, rows: Sequence[Any] | str | None) -> None:
        if generation != self._generation:
            return  # read for rows since reloaded
        self._pending.discard(start)
        if rows is None:  # skipped: asked again if it comes back on screen
            self.refresh()
            return
        if isinstance(rows, str):  # the lines stay "…" until a reload asks again
            self._failed.add(start)
            self.notify(rows, severity="error")
            return
        self.fetches += 1
        self._blocks[start] = rows
        if len(self._blocks) > CACHED_BLOCKS:
            self._blocks.popitem(last=False)
        self.refresh()
        waiting = self._when_read
        if waiting is not None and start <= waiting[0] < start + BLOCK:
            self._when_read = None
            if waiting[0] == self.cursor_row:
                waiting[1]()

    def on_unmount(self) -> None:
        if self._reader is not None:
            self._reader.shutdown(wait=False, cancel_futures=True)

    # -- layout -----------------------------------------------------------------------

    def _line_width(self) -> int:
        return sum(column.width + 1 for column in self.columns)

    def _update_virtual_size(self) -> None:
        self.virtual_size = Size(self._line_width(), self._count + 1)

    @property
    def _page(self) -> int:
        """Rows visible below the header."""
        return max(1, self.scrollable_content_region.height - 1)

    def _fixed_width(self) -> int:
        """The cells the fixed columns take, at most the width there is."""
        fixed = sum(column.width + 1 for column in self.columns[: self.fixed_columns])
        return min(fixed, self.scrollable_content_region.width)

    def _line(self, texts: Sequence[str], style: Style) -> Strip:
        """One line of cells as seen from the scroll offset, as wide as the content
        region (not under the scrollbar): the fixed columns, then the others from the
        scroll offset on. A value cut by either edge of the scrolled part shows "…"
        there: cut silently, ``035.249.253.232`` reads as another whole address."""
        width = self.scrollable_content_region.width
        fixed = self._fixed_width()
        left = fixed + self.scroll_offset.x
        right = self.scroll_offset.x + width
        segments, x, cut_left, cut_right = [], 0, False, False
        for n, (column, text) in enumerate(zip(self.columns, texts, strict=True)):
            if cell_len(text) > column.width:  # cut: say so, or two names look alike
                text = set_cell_size(text, column.width - 1) + "\u2026"
            end = x + cell_len(text)
            if n >= self.fixed_columns:
                cut_left = cut_left or x < left < end
                cut_right = cut_right or x < right < end
            segments.append(Segment(set_cell_size(text, column.width) + " ", style))
            x += column.width + 1
        line = Strip(segments)
        scrolled = line.crop_extend(left, right, style)
        room = width - fixed
        if room >= 2:
            mark = Strip([Segment("\u2026", style)], 1)
            if cut_left:
                scrolled = Strip.join([mark, scrolled.crop(1, room)])
            if cut_right:
                scrolled = Strip.join([scrolled.crop(0, room - 1), mark])
        return Strip.join([line.crop_extend(0, fixed, style), scrolled]) if fixed else scrolled

    def columns_out_of_sight(self) -> tuple[list[Column], list[Column]]:
        """The columns off the left edge of the scrolled part, and those (in part) off
        its right edge, as laid out now: what `h` and `l` bring into sight."""
        fixed = self._fixed_width()
        left = fixed + int(self.scroll_x)
        right = int(self.scroll_x) + self.scrollable_content_region.width
        before: list[Column] = []
        after: list[Column] = []
        x = 0
        for n, column in enumerate(self.columns):
            if n >= self.fixed_columns:
                if x < left:
                    before.append(column)
                elif x + column.width > right:
                    after.append(column)
            x += column.width + 1
        return before, after

    def say_when_empty(self, text: str) -> None:
        """Say ``text`` (plain, wrapped) where the rows would be while there is none:
        why a list is empty and what to do, under its header, where the eye goes ("" for
        nothing)."""
        text = clean(text, 2000)
        if text != self._empty_text:
            self._empty_text = text
            self.refresh()

    def _empty_line(self, y: int, width: int, base: Style) -> Strip:
        """Line ``y`` (0 under the header) of :meth:`say_when_empty`'s text, or blank."""
        lines = Text(self._empty_text, style="yellow").wrap(self.app.console, max(1, width - 1))
        if y >= len(lines):
            return Strip.blank(width, base)
        line = Text(" ") + lines[y]
        return Strip(list(line.render(self.app.console)), line.cell_len).apply_style(
            base).crop_extend(0, width, base)

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        scroll_y = self.scroll_offset.y
        base = self.rich_style
        if y == 0:
            style = base + self.get_component_rich_style("virtual-table--header")
            return self._line([column.label for column in self.columns], style)
        if self._count == 0 and self._empty_text:
            return self._empty_line(y - 1, width, base)
        index = scroll_y + y - 1
        row = self.cached_row(index)
        if row is None:
            if index < self._count and index - index % BLOCK not in self._blocks:
                # Being read (or its read failed): a placeholder, never an empty line.
                return Strip([Segment("\u2026", base)]).crop_extend(0, width, base)
            return Strip.blank(width, base)
        style = base
        if self.row_style is not None and (name := self.row_style(row)):
            style += self.get_component_rich_style(name)
        if index == self.cursor_row and self.has_focus:
            style += self.get_component_rich_style("virtual-table--cursor")
        elif index == self.cursor_row:
            style += Style(reverse=True)
        return self._line([clean(column.value(row), column.width + 1) for column in self.columns],
                          style)

    # -- cursor -----------------------------------------------------------------------

    def watch_cursor_row(self, old: int, new: int) -> None:
        if self._count and not 0 <= new < self._count:
            self.cursor_row = max(0, min(new, self._count - 1))
            return
        top = int(self.scroll_y)
        if new < top:
            self.scroll_to(y=new, animate=False)
        elif new >= top + self._page:
            self.scroll_to(y=new - self._page + 1, animate=False)
        self.refresh()
        self.post_message(self.CursorMoved(self, new))

    def _move(self, delta: int) -> None:
        if self._count:
            self.cursor_row = max(0, min(self._count - 1, self.cursor_row + delta))

    def action_cursor_up(self) -> None:
        self._move(-1)

    def action_cursor_down(self) -> None:
        self._move(1)

    def page_by(self, pages: float) -> None:
        """The rows in sight down (up: negative) by ``pages`` of them, the cursor as many
        rows on, on its line of the screen (:class:`~awsir_tui.ui.paging_keys.Pages`):
        with the cursor taken to the bottom line first, the first space moved the list
        by one row."""
        if self._count:
            step = lines_for(pages, self._page)
            self.scroll_to(y=self.scroll_y + step, animate=False, immediate=True)
            self._move(step)

    def action_first(self) -> None:
        self._move(-self._count)

    def action_last(self) -> None:
        self._move(self._count)

    def _column_starts(self) -> list[int]:
        """Where each scrolled column starts, as a scroll offset brings it to the left
        edge of the scrolled part (past the fixed columns)."""
        starts, x = [], 0
        for column in self.columns[self.fixed_columns:]:
            starts.append(x)
            x += column.width + 1
        return starts

    def action_scroll_right(self) -> None:
        """Right: the next column to the left edge (one cell at a time is too slow)."""
        later = [x for x in self._column_starts() if x > self.scroll_x]
        if later:
            self.scroll_to(x=later[0], animate=False)

    def action_scroll_left(self) -> None:
        """Left: the previous column to the left edge."""
        earlier = [x for x in self._column_starts() if x < self.scroll_x]
        self.scroll_to(x=earlier[-1] if earlier else 0, animate=False)

    def action_select(self) -> None:
        """Enter: open the row under the cursor; one whose block is being read (at
        once after a load, whose end reads the rows again) as soon as it is read, where
        it said "still being read" and the Enter was lost."""
        row = self.peek_row(self.cursor_row)
        if row is not None:
            self.post_message(self.RowSelected(self, self.cursor_row, row))
        elif not self.when_read(self.action_select):
            say_no_row(self, "open", self.reading())

    def when_read(self, action: Callable[[], object]) -> bool:
        """Do ``action`` once the cursor's row, still being read, is read (at once after
        a load, whose end reads the rows again, the key was lost), unless the cursor
        moves on first; the last key so pressed is the one done. False when there is no
        row there to wait for."""
        if not self.cursor_row < self._count:
            return False
        self._when_read = (self.cursor_row, action)
        self.cached_row(self.cursor_row)  # asked of the reader, if it is not yet
        return True

    def on_click(self, event: Click) -> None:
        if event.y >= 1:
            self.cursor_row = int(self.scroll_y) + event.y - 1

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()
