"""The tables of the EC2 views: a virtual list of AWS objects, and a details sheet.

:class:`ObjectTable` shows AWS dicts under the columns of :mod:`awsir_tui.aws.ec2_columns`
(the same as the headless output). It draws only the visible lines (Textual's line
API), because Textual's DataTable measured every cell of every row on each refill:
5,000 instances took seconds to show, sort or un-filter (bench/bench_ec2_table.py has
the figures). Here sorting and filtering are a Python sort/filter of a list and a
repaint of 24 lines. Every cell is built with :func:`awsir_tui.ui.base.cell` (cleaned,
plain Text, never markup: an attacker's ``[bold]`` in a Name tag shows as typed), once
per object. Showing a new list keeps the cursor on the same object (refresh keeps your
place).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import ClassVar

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.widgets import DataTable

from awsir_tui.aws.ec2 import AwsObject
from awsir_tui.aws.ec2_columns import Column
from awsir_tui.text import clean
from awsir_tui.ui.base import cell

#: Width cap of one cell: long descriptions must not push every other column off screen.
CELL_WIDTH = 48
_GAP = 1
_VIM_KEYS: list[BindingType] = [
    Binding("j", "cursor_down", "Down", show=False),
    Binding("k", "cursor_up", "Up", show=False),
    Binding("g", "scroll_top", "Top", show=False),
    Binding("G", "scroll_bottom", "Bottom", show=False),
]


class ObjectTable(ScrollView, can_focus=True):
    """A virtual, row-cursor table of AWS objects with vim keys and a remembered sort."""

    DEFAULT_CSS = """
    ObjectTable { height: 1fr; }
    ObjectTable > .object-table--header { text-style: bold; background: $panel; }
    ObjectTable > .object-table--odd { background: $surface-lighten-1 10%; }
    ObjectTable > .object-table--cursor { background: $block-cursor-blurred-background; }
    ObjectTable:focus > .object-table--cursor {
        background: $block-cursor-background; color: $block-cursor-foreground;
    }
    """
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "object-table--header", "object-table--odd", "object-table--cursor",
    }
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "cursor_up", "Up", show=False),
        Binding("down", "cursor_down", "Down", show=False),
        Binding("pageup", "page_up", "Page up", show=False),
        Binding("pagedown", "page_down", "Page down", show=False),
        Binding("home", "scroll_top", "Top", show=False),
        Binding("end", "scroll_bottom", "Bottom", show=False),
        Binding("enter", "select", "Open", id="list.open"),
        Binding("right,l", "column_right", "Next column", show=False),
        Binding("left,h", "column_left", "Previous column", show=False),
        *_VIM_KEYS,
    ]

    class Selected(Message):
        """Enter (or a click) on a row."""

        def __init__(self, table: ObjectTable, item: AwsObject) -> None:
            super().__init__()
            self.table = table
            self.item = item

    def __init__(
        self,
        columns: Sequence[Column],
        key: Callable[[AwsObject], str],
        style: Callable[[AwsObject], str] | None = None,
        *,
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self.columns_spec = list(columns)
        self.key_of = key
        self.style_of = style or (lambda _: "")
        self.items: list[AwsObject] = []
        self.sort_column: int | None = None
        self.sort_reverse = False
        self.cursor_row = 0
        self.widths = [cell_len(header) for header, _ in self.columns_spec]
        self._cells: dict[str, list[Text]] = {}
        self._cell_widths: dict[str, tuple[int, ...]] = {}
        self._keys: list[str] = []
        self._strips: dict[tuple[int, bool], Strip] = {}

    # --- content ------------------------------------------------------------------

    @property
    def row_count(self) -> int:
        return len(self.items)

    def _row(self, item: AwsObject) -> list[Text]:
        key = self.key_of(item)
        cells = self._cells.get(key)
        if cells is None:
            style = self.style_of(item)
            cells = [cell(get(item), CELL_WIDTH, style) for _, get in self.columns_spec]
            self._cells[key] = cells
            self._cell_widths[key] = tuple(cell_len(text.plain) for text in cells)
        return cells

    def forget_cells(self) -> None:
        """Drop cached cells (after a refresh the same ID may carry new values)."""
        self._cells.clear()
        self._cell_widths.clear()

    def _ordered(self, items: list[AwsObject]) -> list[AwsObject]:
        if self.sort_column is None:
            return items
        _, get = self.columns_spec[self.sort_column]
        return sorted(items, key=lambda item: get(item).lower(), reverse=self.sort_reverse)

    def show(self, items: list[AwsObject]) -> None:
        """Replace the rows with ``items`` (in the current sort), keeping the cursor's object.

        A cursor still on the first row stays on the first row: while regions arrive,
        the top of a newest-first list must stay the newest, not the first region's.
        """
        current = self.current() if self.cursor_row > 0 else None
        keep = self.key_of(current) if current is not None else None
        self.items = self._ordered(items)
        self._keys = [self.key_of(item) for item in self.items]
        for item in self.items:
            self._row(item)
        headers = tuple(cell_len(header) + 2 for header, _ in self.columns_spec)
        widths = [max(column) for column in zip(
            headers, *(self._cell_widths[key] for key in self._keys), strict=True)]
        self.widths = widths
        self._strips.clear()
        row = self._keys.index(keep) if keep in self._keys else self.cursor_row
        self.virtual_size = Size(sum(widths) + _GAP * len(widths), len(self.items) + 1)
        self.move_cursor(row)
        self.refresh()

    def sort_by(self, column: int, reverse: bool | None = None) -> str:
        """Sort by ``column`` (same column again flips the order); returns its header."""
        if reverse is None:
            reverse = not self.sort_reverse if column == self.sort_column else False
        self.sort_column, self.sort_reverse = column, reverse
        self.show(self.items)
        return self.columns_spec[column][0]

    def current(self) -> AwsObject | None:
        """The object under the cursor, or None when the table is empty."""
        if 0 <= self.cursor_row < len(self.items):
            return self.items[self.cursor_row]
        return None

    def cell_texts(self) -> list[list[str]]:
        """The rows in display order as plain strings (what the screen shows, for tests)."""
        return [[text.plain for text in self._row(item)] for item in self.items]

    # --- cursor -------------------------------------------------------------------

    @property
    def _page(self) -> int:
        return max(1, self.scrollable_content_region.height - 1)

    def move_cursor(self, row: int) -> None:
        """Put the cursor on ``row`` (clamped) and scroll it into view."""
        row = max(0, min(row, len(self.items) - 1)) if self.items else 0
        self.cursor_row = row
        top = round(self.scroll_y)
        if row < top:
            self.scroll_to(y=row, animate=False)
        elif row >= top + self._page:
            self.scroll_to(y=row - self._page + 1, animate=False)
        self.refresh()

    def action_cursor_up(self) -> None:
        self.move_cursor(self.cursor_row - 1)

    def action_cursor_down(self) -> None:
        self.move_cursor(self.cursor_row + 1)

    def action_page_up(self) -> None:
        self.move_cursor(self.cursor_row - self._page)

    def action_page_down(self) -> None:
        self.move_cursor(self.cursor_row + self._page)

    def action_scroll_top(self) -> None:
        self.move_cursor(0)

    def action_scroll_bottom(self) -> None:
        self.move_cursor(len(self.items) - 1)

    def _column_starts(self) -> list[int]:
        starts, x = [], 0
        for width in self.widths:
            starts.append(x)
            x += width + _GAP
        return starts

    def action_column_right(self) -> None:
        """Scroll one whole column right (13 columns do not fit in 80)."""
        later = [x for x in self._column_starts() if x > round(self.scroll_x)]
        if later:
            self.scroll_to(x=later[0], animate=False)

    def action_column_left(self) -> None:
        earlier = [x for x in self._column_starts() if x < round(self.scroll_x)]
        self.scroll_to(x=earlier[-1] if earlier else 0, animate=False)

    def action_select(self) -> None:
        item = self.current()
        if item is not None:
            self.post_message(self.Selected(self, item))

    def on_click(self, event: events.Click) -> None:
        """A click on the header sorts by that column; on a row, moves the cursor there."""
        if event.y == 0:
            x = event.x + round(self.scroll_x)
            for index, width in enumerate(self.widths):
                x -= width + _GAP
                if x < 0:
                    self.sort_by(index)
                    return
        else:
            self.move_cursor(round(self.scroll_y) + event.y - 1)

    def on_focus(self) -> None:
        self._strips.clear()
        self.refresh()

    def on_blur(self) -> None:
        self._strips.clear()
        self.refresh()

    # --- drawing (only what is visible) -------------------------------------------

    def _line(self, cells: Sequence[Text], style: Style) -> Strip:
        console = self.app.console
        segments: list[Segment] = []
        gap = Segment(" " * _GAP)
        for text, width in zip(cells, self.widths, strict=False):
            fitted = text.copy()
            fitted.truncate(width, overflow="ellipsis", pad=True)
            # Text.render() leaves out the text's own style (a console applies it
            # around the segments): without it the red of a world-open group and the
            # dim of an unused one never reached the screen.
            own = console.get_style(fitted.style) if fitted.style else None
            segments.extend(Segment.apply_style(fitted.render(console), own))
            segments.append(gap)
        return Strip(segments).apply_style(style)

    def _header(self) -> Strip:
        headers = []
        for index, (header, _) in enumerate(self.columns_spec):
            arrow = ""
            if index == self.sort_column:
                arrow = " \u25bc" if self.sort_reverse else " \u25b2"
            headers.append(Text(header + arrow))
        return self._line(headers, self.get_component_rich_style("object-table--header"))

    def _data_line(self, index: int) -> Strip:
        is_cursor = index == self.cursor_row
        cached = self._strips.get((index, is_cursor))
        if cached is not None:
            return cached
        style = self.rich_style
        if index % 2:
            style += self.get_component_rich_style("object-table--odd", partial=True)
        if is_cursor:
            style += self.get_component_rich_style("object-table--cursor")
        strip = self._line(self._row(self.items[index]), style)
        if len(self._strips) > 2000:
            self._strips.clear()
        self._strips[(index, is_cursor)] = strip
        return strip

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        width = self.scrollable_content_region.width
        if y == 0:
            strip = self._header()
        else:
            index = scroll_y + y - 1
            if index >= len(self.items):
                return Strip.blank(width, self.rich_style)
            strip = self._data_line(index)
        return strip.crop_extend(scroll_x, scroll_x + width, self.rich_style)


class Sheet(DataTable[Text]):
    """A two-column "label: value" page of sections; rows may lead somewhere.

    Used for the details of an instance, a group or any AWS object: every line is a row,
    so the cursor, j/k, g/G and Enter work the same as in the lists, and a row can carry a
    target (``("group", "sg-1")``) that Enter opens.
    """

    BINDINGS: ClassVar[list[BindingType]] = _VIM_KEYS

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(cursor_type="row", show_header=False, id=id)
        self.targets: dict[int, tuple[str, str]] = {}

    def on_mount(self) -> None:
        if not self.columns:
            self.add_columns("field", "value")

    def reset(self) -> None:
        if not self.columns:
            self.on_mount()
        self.clear()
        self.targets.clear()

    def section(self, title: str) -> None:
        """A section heading row (bold, no target)."""
        self.add_row(Text(title, style="bold reverse"), Text(""))

    def line(
        self,
        label: str,
        value: object,
        target: tuple[str, str] | None = None,
        style: str = "",
    ) -> None:
        """One ``label  value`` row; ``value`` is AWS data, cleaned and never markup."""
        if target is not None:
            self.targets[self.row_count] = target
        marker = " \u25b8" if target is not None else ""
        self.add_row(Text(clean(label, 40) + marker, style=style or "dim"),
                     cell(value, 400, style))

    def value_at_cursor(self) -> str:
        """The value column of the current row, as shown ('' on an empty sheet)."""
        if not 0 <= self.cursor_row < self.row_count:
            return ""
        return self.get_row_at(self.cursor_row)[1].plain

    def target(self) -> tuple[str, str] | None:
        """Where Enter on the current row leads, if anywhere."""
        return self.targets.get(self.cursor_row)

    def texts(self) -> list[str]:
        """Each row as ``label value`` plain text (for tests and yank)."""
        return [
            " ".join(c.plain for c in self.get_row_at(row)).strip()
            for row in range(self.row_count)
        ]
