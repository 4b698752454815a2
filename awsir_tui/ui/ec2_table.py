"""The tables of the EC2 views: a virtual list of AWS objects, and a details sheet.

:class:`ObjectTable` shows AWS dicts under the columns of :mod:`awsir_tui.aws.ec2_columns`
(the same as the headless output). It draws only the visible lines (Textual's line
API), because Textual's DataTable measured every cell of every row on each refill:
5,000 instances took seconds to show, sort or un-filter (bench/bench_ec2_table.py has
the figures). Here sorting and filtering are a Python sort/filter of a list and a
repaint of 24 lines. Every cell is built with :func:`awsir_tui.ui.base.cell` (cleaned,
plain Text, never markup: an attacker's ``[bold]`` in a Name tag shows as typed; secrets
redacted), once per object. Showing a new list keeps the cursor on the same object
(refresh keeps your place).

At 80 columns a list shows four or five of its columns; left/right move by whole
columns. The first column (the ID; a key pair's name) is pinned at the left edge and the
others scroll beside it: three columns to the right, a row still says which object it is
(the groups pin their name and Region beside it, the key pairs their Region: an
all-region list's row is nobody's without it). Each screenful is laid out from the
pinned columns: columns keep the width of their content, text columns (names, lists,
descriptions) give up width down to a floor so that one more whole column shows, and
a column that does not fit is left out rather than cut to a meaningless sliver; the
pinned columns keep, scrolled, the widths of the first screen. ``»``/``«`` at the
right of the header say that columns are hidden to the right/left.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, ClassVar

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
from textual.widgets.data_table import ColumnKey

from awsir_tui.aws.ec2 import AwsObject
from awsir_tui.aws.ec2_columns import (
    LIST_CELLS,
    SHRINKABLE,
    TIMES,
    Column,
    iso,
    ordered,
    short_time,
)
from awsir_tui.case.secrets import redact_text
from awsir_tui.text import clean
from awsir_tui.ui.base import Mark, View, cell
from awsir_tui.ui.detail_pane import label_value
from awsir_tui.ui.paging_keys import PAGING_KEYS, Pages, lines_for
from awsir_tui.ui.virtual_table import say_no_row
from awsir_tui.ui.yank import yank

#: The style of what is open to anyone: a world-open rule, a policy's wildcard.
OPEN = "bold red"
#: Width cap of one cell: long descriptions must not push every other column off screen.
CELL_WIDTH = 48
_GAP = 1
#: How many leading columns stay at the left edge while the others scroll, unless a
#: list says more: the ID (a key pair's name), without which a row scrolled right is
#: nobody's.
PINNED = 1
#: One column's place on screen: (index in the columns, width drawn).
Placed = tuple[int, int]
#: j/k/g/G in the lists and the pages, with the ids (and words) they have in every
#: other list (:class:`~awsir_tui.ui.base.TableView`): without an id the help left them
#: out, and a keymap could not rebind them with the others.
_VIM_KEYS: list[BindingType] = [
    Binding("j", "cursor_down", "Down", show=False, id="rows.down"),
    Binding("k", "cursor_up", "Up", show=False, id="rows.up"),
    Binding("g", "scroll_top", "First row", show=False, id="rows.top"),
    Binding("G", "scroll_bottom", "Last row", show=False, id="rows.bottom"),
]


class ObjectTable(Pages, ScrollView, can_focus=True):
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
        *PAGING_KEYS,
        Binding("home", "scroll_top", "Top", show=False),
        Binding("end", "scroll_bottom", "Bottom", show=False),
        Binding("enter", "select", "Open", id="list.open"),
        Binding("right", "column_right", "Next column", show=False),
        Binding("left", "column_left", "Previous column", show=False),
        Binding("l", "column_right", "Next column", show=False, id="rows.right"),
        Binding("h", "column_left", "Previous column", show=False, id="rows.left"),
        *_VIM_KEYS,
    ]

    class Selected(Message):
        """Enter (or a click) on a row."""

        def __init__(self, table: ObjectTable, item: AwsObject) -> None:
            super().__init__()
            self.table = table
            self.item = item

    class Moved(Message):
        """The cursor moved, or the rows changed under it: ``item`` is the object it is
        on now (None on an empty list), for a view that says more about that row."""

        def __init__(self, table: ObjectTable, item: AwsObject | None) -> None:
            super().__init__()
            self.table = table
            self.item = item

    def __init__(
        self,
        columns: Sequence[Column],
        key: Callable[[AwsObject], str],
        style: Callable[[AwsObject], str] | None = None,
        *,
        pinned: int = PINNED,
        reading: Callable[[], bool] | None = None,
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self.columns_spec = list(columns)
        #: Whether rows may still come (regions not all answered), for what a key on no
        #: row says (:func:`~awsir_tui.ui.virtual_table.no_row`); by default all are in.
        self.reading = reading or (lambda: False)
        #: The leading columns kept at the left edge (an all-region list's region too).
        self.pinned = pinned
        self.key_of = key
        self.style_of = style or (lambda _: "")
        self.items: list[AwsObject] = []
        self.sort_column: int | None = None
        self.sort_reverse = False
        self.cursor_row = 0
        #: The first scrolling column on screen, right of the pinned ones (left/right
        #: move it by one).
        self.first_column = pinned
        #: Each column's natural width: its widest cell or its header (+ sort arrow).
        self.widths = [cell_len(header) for header, _ in self.columns_spec]
        #: How narrow each column may get: text columns down to their floor (never
        #: below their header), the others never narrower than their content.
        self._floors = [max(cell_len(header), SHRINKABLE.get(header, CELL_WIDTH))
                        for header, _ in self.columns_spec]
        #: Each column's text as a list shows it (:data:`LIST_CELLS`), times short.
        self._texts = [LIST_CELLS.get(header, get) for header, get in self.columns_spec]
        self._shown = [short_time if header in TIMES else str
                       for header, _ in self.columns_spec]
        self._cells: dict[str, list[Text]] = {}
        self._cell_widths: dict[str, tuple[int, ...]] = {}
        self._keys: list[str] = []
        self._strips: dict[tuple[int, bool], Strip] = {}
        #: The width and columns :attr:`_strips` were drawn for: a row drawn for another
        #: layout is drawn again (see :meth:`_data_line`).
        self._strips_layout: tuple[int, list[Placed]] = (0, [])

    # --- content ------------------------------------------------------------------

    @property
    def row_count(self) -> int:
        return len(self.items)

    def _row(self, item: AwsObject) -> list[Text]:
        key = self.key_of(item)
        cells = self._cells.get(key)
        if cells is None:
            style = self.style_of(item)
            # Redacted as the details pages are: a Name tag is anyone's to write.
            cells = [cell(redact_text(show(text(item))), CELL_WIDTH, style)
                     for text, show in zip(self._texts, self._shown, strict=True)]
            self._cells[key] = cells
            self._cell_widths[key] = tuple(cell_len(text.plain) for text in cells)
        return cells

    def forget_cells(self) -> None:
        """Drop cached cells (after a refresh the same ID may carry new values)."""
        self._cells.clear()
        self._cell_widths.clear()

    def _ordered(self, items: list[AwsObject]) -> list[AwsObject]:
        """``items`` in the current sort, as the headless output orders them."""
        return ordered(items, self.columns_spec, self.sort_column, self.sort_reverse)

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
        headers = tuple(cell_len(header) + (2 if index == self.sort_column else 0)
                        for index, (header, _) in enumerate(self.columns_spec))
        self.widths = [max(column) for column in zip(
            headers, *(self._cell_widths[key] for key in self._keys), strict=True)]
        self._strips.clear()
        row = self._keys.index(keep) if keep in self._keys else self.cursor_row
        # No horizontal scrollbar: columns move by whole columns (see the module doc).
        self.virtual_size = Size(0, len(self.items) + 1)
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

    def row_to(self, to: str) -> AwsObject | None:
        """The object under the cursor for a key that acts on it (Enter, E, y); on an
        empty list None, once the user is told there is no row ``to`` act on (yet, while
        regions still answer: Enter in the first seconds said "the list is empty")."""
        item = self.current()
        if item is None:
            say_no_row(self, to, self.reading())
        return item

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
        self.post_message(self.Moved(self, self.current()))

    def action_cursor_up(self) -> None:
        self.move_cursor(self.cursor_row - 1)

    def action_cursor_down(self) -> None:
        self.move_cursor(self.cursor_row + 1)

    def page_by(self, pages: float) -> None:
        """The rows in sight down (up: negative) by ``pages`` of them, the cursor as many
        rows on, on its line of the screen (:class:`~awsir_tui.ui.paging_keys.Pages`)."""
        step = lines_for(pages, self._page)
        self.scroll_to(y=self.scroll_y + step, animate=False, immediate=True)
        self.move_cursor(self.cursor_row + step)

    def action_scroll_top(self) -> None:
        self.move_cursor(0)

    def action_scroll_bottom(self) -> None:
        self.move_cursor(len(self.items) - 1)

    def _scroll_columns(self, first: int) -> None:
        self.first_column = max(self.pinned, min(first, len(self.columns_spec) - 1))
        self.refresh()

    def action_column_right(self) -> None:
        """One whole column right (13 columns do not fit in 80), while any is hidden."""
        if self.hidden_right():
            self._scroll_columns(self.first_column + 1)

    def action_column_left(self) -> None:
        self._scroll_columns(self.first_column - 1)

    def action_select(self) -> None:
        item = self.row_to("open")
        if item is not None:
            self.post_message(self.Selected(self, item))

    # --- layout -------------------------------------------------------------------

    def placed_columns(self) -> list[Placed]:
        """The columns on screen: the pinned ones, then from :attr:`first_column`, and
        the width of each.

        The first screen is laid out by :meth:`_fill` from the first column. Scrolled,
        the pinned columns keep the first screen's widths: laid out afresh beside
        other columns, a name whole before l came back cut after it
        (``test-key-do-not…``), and the same row read as another. They give back what
        they took above their floor only where the first scrolling column would not
        fit beside them (a name of 48 characters): l must bring a column on screen.
        """
        room = max(1, self.scrollable_content_region.width)
        count = len(self.columns_spec)
        home = self._fill(room, [], range(count))
        if self.first_column <= self.pinned:
            return home
        pinned = home[:self.pinned]
        first = self.first_column
        over = (sum(width for _, width in pinned) + _GAP * len(pinned)
                + min(self.widths[first], self._floors[first]) - room)
        for position, (index, width) in enumerate(pinned):
            give = max(0, min(over, width - min(self.widths[index], self._floors[index])))
            pinned[position] = (index, width - give)
            over -= give
        return self._fill(room, pinned, range(first, count))

    def _fill(self, room: int, fixed: list[Placed], order: Iterable[int]) -> list[Placed]:
        """``fixed`` columns as they are, then the columns of ``order``: as many whole as
        fit, text columns narrowed down to their floor if that lets one more in; the
        room left over goes back to the narrowed columns of ``order``, the leftmost
        (most important) first. A pinned column is cut only if the pinned ones alone
        are wider than the screen, the first scrolling one only if it does not fit
        beside them (a narrow terminal): l must still bring something on screen.
        """
        placed = list(fixed)
        used = sum(width for _, width in placed) + _GAP * (len(placed) - 1)
        for index in order:
            floor = min(self.widths[index], self._floors[index])
            if used + _GAP + floor > room:
                left = room - used - _GAP
                if len(placed) <= self.pinned and left > 0:
                    placed.append((index, left))
                    used = room
                break
            placed.append((index, floor))
            used += _GAP + floor
        spare = room - used
        for position in range(len(fixed), len(placed)):
            index, width = placed[position]
            grow = min(spare, self.widths[index] - width)
            placed[position] = (index, width + grow)
            spare -= grow
        return placed

    def hidden_right(self) -> bool:
        """Whether columns are hidden to the right of the screen."""
        placed = self.placed_columns()
        return bool(placed) and placed[-1][0] < len(self.columns_spec) - 1

    def on_click(self, event: events.Click) -> None:
        """A click on the header sorts by that column; on a row, moves the cursor there."""
        if event.y == 0:
            x = event.x
            for index, width in self.placed_columns():
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

    def _line(self, cells: Sequence[Text], style: Style, placed: list[Placed]) -> Strip:
        """One screen line: the ``placed`` columns of ``cells``."""
        console = self.app.console
        segments: list[Segment] = []
        gap = Segment(" " * _GAP)
        for position, (index, width) in enumerate(placed):
            if position:
                segments.append(gap)
            fitted = cells[index].copy()
            fitted.truncate(width, overflow="ellipsis", pad=True)
            # Text.render() leaves out the text's own style (a console applies it
            # around the segments): without it the red of a world-open group and the
            # dim of an unused one never reached the screen.
            own = console.get_style(fitted.style) if fitted.style else None
            segments.extend(Segment.apply_style(fitted.render(console), own))
        width = self.scrollable_content_region.width
        return Strip(segments).apply_style(style).crop_extend(0, width, style)

    def _header(self) -> Strip:
        """The headers, and at the right ``«``/``»`` if columns are hidden left/right
        (drawn where the last header leaves blank cells, so it costs no column)."""
        headers = []
        for index, (header, _) in enumerate(self.columns_spec):
            arrow = ""
            if index == self.sort_column:
                arrow = " \u25bc" if self.sort_reverse else " \u25b2"
            headers.append(Text(header + arrow))
        style = self.get_component_rich_style("object-table--header")
        strip = self._line(headers, style, self.placed_columns())
        marker = ("\u00ab" if self.first_column > self.pinned else "") + (
            "\u00bb" if self.hidden_right() else "")
        width = strip.cell_length
        if marker and not strip.crop(width - len(marker) - 1, width).text.strip():
            strip = Strip.join([strip.crop(0, width - len(marker)),
                                Strip([Segment(marker, style)])])
        return strip

    def _data_line(self, index: int) -> Strip:
        # Rows drawn for the last layout are dropped when it changes (a resize, h/l):
        # the screen repaints at a new width before the table hears of it, and rows
        # kept from the old layout ran their columns on past the new header's, a
        # date cut off by the edge with no heading and no mark.
        layout = (self.scrollable_content_region.width, self.placed_columns())
        if layout != self._strips_layout:
            self._strips.clear()
            self._strips_layout = layout
        is_cursor = index == self.cursor_row
        cached = self._strips.get((index, is_cursor))
        if cached is not None:
            return cached
        style = self.rich_style
        if index % 2:
            style += self.get_component_rich_style("object-table--odd", partial=True)
        if is_cursor:
            style += self.get_component_rich_style("object-table--cursor")
        strip = self._line(self._row(self.items[index]), style, layout[1])
        if len(self._strips) > 2000:
            self._strips.clear()
        self._strips[(index, is_cursor)] = strip
        return strip

    def render_line(self, y: int) -> Strip:
        scroll_y = self.scroll_offset.y
        if y == 0:
            return self._header()
        index = scroll_y + y - 1
        if index >= len(self.items):
            return Strip.blank(self.scrollable_content_region.width, self.rich_style)
        return self._data_line(index)


#: After the label of a row Enter opens (a group, a key, an instance).
OPENS = " \u25b8"


class Sheet(Pages, DataTable[Text]):
    """A two-column "label: value" page of sections; rows may lead somewhere.

    Used for the details of an instance, a group or any AWS object: every line is a row,
    so the cursor, j/k, g/G and Enter work the same as in the lists, and a row can carry a
    target (``("group", "sg-1")``) that Enter opens.

    Labels are as wide as the longest (at most :data:`LABEL_WIDTH`) and values sit
    beside them; a value too long to sit beside its label (an ARN, a DNS name, a
    user-data line) goes whole on the lines under it
    (:func:`~awsir_tui.ui.detail_pane.label_value`), not cut at the screen's edge: an
    ARN copied off the terminal must paste whole. Each row
    is one cell laid out at the screen's width, again when it changes.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        *_VIM_KEYS,
        *PAGING_KEYS,
        # DataTable's own Enter, named: without an id the help's keys left out the
        # page's main pivot (the rows marked \u25b8).
        Binding("enter", "select_cursor", "Open the \u25b8 row", show=False, id="page.open"),
    ]
    DEFAULT_CSS = "Sheet { overflow-x: hidden; }"
    #: Widest label column: a long tag key is cut (with an ellipsis), not the values.
    LABEL_WIDTH = 24

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(cursor_type="row", show_header=False, id=id)
        self.targets: dict[int, tuple[str, str]] = {}
        #: Row -> (indicator kind, value) that `m` keeps for it, where the page knows.
        self.marks: dict[int, tuple[str, str]] = {}
        #: Row -> the key of the tag whose value the row is, which `m` keeps with it.
        self.tags: dict[int, str] = {}
        #: Row -> what `y` copies from it (a section heading: its section, see copy_value).
        self.copies: dict[int, str] = {}
        #: The rows that are section headings.
        self._headings: set[int] = set()
        #: Every row as added, to lay them out again when the width changes.
        self._lines: list[tuple[Text, Text]] = []
        #: (label width with its gap, line width) the rows are laid out at.
        self._widths = (0, 0)

    def on_mount(self) -> None:
        if not self.columns:
            self.add_column("line", key="line", width=1)

    def reset(self) -> None:
        """Clear every row (and what rows lead to, mark, copy); the cursor goes home."""
        if not self.columns:
            self.on_mount()
        self.clear()
        self.targets.clear()
        self.marks.clear()
        self.tags.clear()
        self.copies.clear()
        self._headings.clear()
        self._lines.clear()
        self._widths = (0, 0)

    @contextmanager
    def rewrite(self) -> Iterator[Sheet]:
        """Write the sheet again from the top (a section has loaded, a reload): cleared
        on entry; on exit the cursor is back on the row it was on, or the last row if
        fewer are left, so that a page filling in does not throw the reader to the top.

        ``with sheet.rewrite(): sheet.section(...)``
        """
        row = self.cursor_row
        self.reset()
        try:
            yield self
        finally:  # a section that failed to draw still leaves the reader where they were
            self._cursor_to(row)

    def _cursor_to(self, row: int) -> None:
        """The cursor on ``row``, or the nearest row there is."""
        if self.row_count:
            self.move_cursor(row=min(max(row, 0), self.row_count - 1), animate=False)

    def _fit(self) -> bool:
        """Size the labels and the line to the screen; True when the widths changed."""
        labels = max((label.cell_len for label, _ in self._lines), default=1)
        label = max(1, min(labels, self.LABEL_WIDTH)) + 2 * self.cell_padding
        room = self.size.width - self.styles.scrollbar_size_vertical - 2 * self.cell_padding
        widths = (label, max(label + 10, room))
        if widths == self._widths:
            return False
        self._widths = widths
        column = self.columns[ColumnKey("line")]
        column.width, column.auto_width = widths[1], False
        return True

    def _add(self, label: Text, value: Text) -> None:
        shown = label_value(label, value, *self._widths)
        shown.no_wrap, shown.overflow = True, "crop"  # laid out already
        self.add_row(shown, height=None)

    def _append(self, label: Text, value: Text) -> None:
        self._lines.append((label, value))
        if self._fit() and self.row_count:
            self._relayout()  # every line, this one too, at the new widths
        else:
            self._add(label, value)

    def _relayout(self) -> None:
        """Add every row again: a row's height (its lines) follows the width."""
        row = self.cursor_row
        self.clear()
        for label, value in self._lines:
            self._add(label, value)
        self._cursor_to(row)

    def on_resize(self) -> None:
        if self._lines and self._fit():
            self._relayout()

    def section(self, title: str, note: str = "") -> None:
        """A section heading row (bold, no target), with an optional dim note beside it."""
        self._headings.add(len(self._lines))
        self._append(Text(title, style="bold reverse"), Text(note, style="dim"))

    def line(
        self,
        label: str,
        value: object,
        target: tuple[str, str] | None = None,
        style: str = "",
        kind: str | None = None,
        mark: str | None = None,
        tag: str = "",
    ) -> None:
        """One ``label  value`` row; ``value`` is AWS data, cleaned and never markup.

        ``kind`` says what indicator `m` keeps for the row: ``mark`` if given (the CIDR
        of a rule, a role's ARN), else the value; ``tag``, the key of the tag whose value
        the row is, goes with it (the label shows it cut and cleaned; `m` keeps it whole).
        `y` copies the value whole (not cut to the screen), or what the row stands for
        where it shows that first: the ID of a row labelled with it (a group, a volume,
        an instance: ``mark`` equal to ``label``), or the address that starts an
        interface's public row, before its owner and DNS name (``mark`` starting
        ``value``). A text value is redacted first
        (:func:`~awsir_tui.case.secrets.redact_text`): a tag, a description or a line of
        user data is anyone's to write, a password in it included, and what the row shows
        is what `m` keeps and its notification says.
        """
        if isinstance(value, str):
            value = redact_text(value)
        row = len(self._lines)
        if target is not None:
            self.targets[row] = target
        if kind is not None:
            self.marks[row] = (kind, mark if mark is not None else str(value))
        if tag:
            self.tags[row] = tag
        stands_first = mark is not None and (
            mark == label or str(value).startswith(f"{mark}  "))
        self.copies[row] = mark if stands_first and mark is not None else clean(value)
        marker = OPENS if target is not None else ""
        self._append(cell(clean(label, 40) + marker, style=style or "dim"),
                     cell(value, 400, style))

    def page_by(self, pages: float) -> None:
        """The page down (up: negative) by ``pages`` of the lines in sight, the cursor
        as many lines on, where it was on the screen: rows counted by their lines (a
        value broken under its label is several), one row at least."""
        room = max(1, int(self.scrollable_content_region.height * abs(pages)))
        step = 1 if pages > 0 else -1
        row, lines = self.cursor_row, 0
        while 0 <= row + step < self.row_count:
            height = self.ordered_rows[row + step].height
            if lines + height > room and row != self.cursor_row:
                break
            row, lines = row + step, lines + height
        self.scroll_to(y=self.scroll_y + step * lines, animate=False, immediate=True)
        # Not scrolled to: it is in sight where it was, or (at either end, where the
        # scroll stopped short) nearer the edge; DataTable's scroll to the cursor undid
        # the page.
        self.move_cursor(row=row, animate=False, scroll=False)

    def value_at_cursor(self) -> str:
        """The value of the current row, as shown ('' on an empty sheet)."""
        if not 0 <= self.cursor_row < self.row_count:
            return ""
        return self._lines[self.cursor_row][1].plain

    def indicator(self) -> tuple[str | None, str]:
        """``(kind, value)`` worth marking on the current row: what the page said it is,
        else the row's target or shown value with no kind (to be guessed)."""
        if self.cursor_row in self.marks:
            return self.marks[self.cursor_row]
        target = self.target()
        return None, target[1] if target is not None else self.value_at_cursor()

    def mark(self, source: str, region: str = "", ref: str = "") -> Mark | None:
        """What `m` keeps from the current row, seen on this page (``source``); nothing
        on a section heading, whose note ("decoded as text, never run") is the page's."""
        if self.heading_at_cursor() is not None:
            return None
        kind, value = self.indicator()
        tag = self.tags.get(self.cursor_row, "")
        return Mark(value, source, kind, region, ref, tag=tag) if value else None

    def target(self) -> tuple[str, str] | None:
        """Where Enter on the current row leads, if anywhere."""
        return self.targets.get(self.cursor_row)

    def heading_at_cursor(self) -> str | None:
        """The title of the section heading under the cursor, None on any other row."""
        row = self.cursor_row
        return self._lines[row][0].plain if row in self._headings else None

    def copy_value(self) -> str:
        """What `y` copies from the current row; on a section heading, the section as
        it shows (heading, then ``label  value`` lines: redacted as on screen)."""
        row = self.cursor_row
        if row not in self._headings:
            return self.copies.get(row, "")
        end = min((h for h in self._headings if h > row), default=len(self._lines))
        return "\n".join(
            f"{self._label(n, label)}  {self._whole(n, value)}".rstrip()
            for n, (label, value) in enumerate(self._lines[row:end], row)
        )

    def _label(self, row: int, label: Text) -> str:
        """A row's label as text to paste: without the page's own \u25b8 after it."""
        return label.plain.removesuffix(OPENS) if row in self.targets else label.plain

    def _whole(self, row: int, value: Text) -> str:
        """A row's value as shown, or what `y` copies from it where the page cut it."""
        shown = value.plain
        return self.copies.get(row) or shown if shown.endswith("\u2026") else shown

    def texts(self) -> list[str]:
        """Each row as ``label value`` plain text (for tests and yank)."""
        return [f"{label.plain} {value.plain}".strip() for label, value in self._lines]


#: What Enter says on a row that opens nothing (a heading, a rule, an attribute): a key
#: that does nothing, silently, reads as a key that is broken.
NOTHING_TO_OPEN = "nothing to open on this row: Enter opens the rows marked \u25b8"


class SheetPage(View):
    """A page whose body is one :class:`Sheet` (an instance, a group, a role, any AWS
    object): `y` copies the row's value, as `y` does in the lists and the event; Enter
    opens what a row marked \u25b8 leads to (:meth:`open_target`), or says there is
    nothing to open on this one."""

    AUTO_FOCUS = "Sheet"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "yank", "Yank", id="page.yank"),
    ]

    @property
    def sheet(self) -> Sheet:
        return self.query_one(Sheet)

    def on_data_table_row_selected(self, message: DataTable.RowSelected) -> None:
        message.stop()
        target = self.sheet.target()
        if target is None:
            self.notify(NOTHING_TO_OPEN, timeout=3)
        else:
            self.open_target(*target)

    def open_target(self, kind: str, value: str) -> None:
        """Open what a row points at: ``(kind, value)`` as the row's target names it."""

    def action_yank(self) -> None:
        """`y`: the value of the row under the cursor (the ID on a row that is one), or
        on a section heading the whole section."""
        text = self.sheet.copy_value()
        heading = self.sheet.heading_at_cursor()
        if text:
            yank(self, text, f"the section {clean(heading, 40)}" if heading else clean(text, 60))
        else:
            self.notify("nothing to copy on this row", severity="warning")


def flatten(obj: Any, prefix: str = "") -> list[tuple[str, str]]:
    """An AWS dict as ``(path, value)`` lines: ``Attachments[0].InstanceId  i-...``."""
    if isinstance(obj, dict):
        lines: list[tuple[str, str]] = []
        for key, value in obj.items():
            lines.extend(flatten(value, f"{prefix}.{key}" if prefix else str(key)))
        return lines
    if isinstance(obj, list):
        if not obj:
            return [(prefix, "[]")]
        return [line for n, item in enumerate(obj) for line in flatten(item, f"{prefix}[{n}]")]
    return [(prefix, iso(obj))]
