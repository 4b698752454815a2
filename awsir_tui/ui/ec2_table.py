"""The table every EC2 list uses: AWS dicts in, clean Text cells out, sort kept.

Rows are AWS objects; columns come from :mod:`awsir_tui.aws.ec2_columns` (the same as
the headless output). Every cell is built with :func:`awsir_tui.ui.base.cell`: a plain
``str`` in a DataTable is parsed as markup, and an attacker's ``[bold]`` in a Name tag
must show as typed. Cells are built once per object and reused, so re-filtering and
re-sorting 5,000 instances does not rebuild 65,000 Text objects. Showing a new list
keeps the cursor on the same object when it is still there (refresh keeps your place).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import ClassVar

from rich.text import Text
from textual.binding import Binding, BindingType
from textual.widgets import DataTable

from awsir_tui.aws.ec2 import AwsObject
from awsir_tui.aws.ec2_columns import Column
from awsir_tui.text import clean
from awsir_tui.ui.base import cell

#: Width cap of one cell: long descriptions must not push every other column off screen.
CELL_WIDTH = 48


class ObjectTable(DataTable[Text]):
    """A row-cursor DataTable of AWS objects with vim keys and a remembered sort."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j", "cursor_down", "Down", show=False),
        Binding("k", "cursor_up", "Up", show=False),
        Binding("g", "scroll_top", "Top", show=False),
        Binding("G", "scroll_bottom", "Bottom", show=False),
    ]

    def __init__(
        self,
        columns: Sequence[Column],
        key: Callable[[AwsObject], str],
        style: Callable[[AwsObject], str] | None = None,
        *,
        id: str | None = None,
    ) -> None:
        super().__init__(cursor_type="row", zebra_stripes=True, id=id)
        self.columns_spec = list(columns)
        self.key_of = key
        self.style_of = style or (lambda _: "")
        self.items: list[AwsObject] = []
        self.sort_column: int | None = None
        self.sort_reverse = False
        self._cells: dict[str, list[Text]] = {}
        self._headers_added = False

    def on_mount(self) -> None:
        if not self._headers_added:
            self.add_columns(*(header for header, _ in self.columns_spec))
            self._headers_added = True

    # --- content ------------------------------------------------------------------

    def _row(self, item: AwsObject, key: str) -> list[Text]:
        cells = self._cells.get(key)
        if cells is None:
            style = self.style_of(item)
            cells = [cell(get(item), CELL_WIDTH, style) for _, get in self.columns_spec]
            self._cells[key] = cells
        return cells

    def forget_cells(self) -> None:
        """Drop cached cells (after a refresh the same ID may carry new values)."""
        self._cells.clear()

    def _ordered(self, items: list[AwsObject]) -> list[AwsObject]:
        if self.sort_column is None:
            return items
        _, get = self.columns_spec[self.sort_column]
        return sorted(items, key=lambda item: get(item).lower(), reverse=self.sort_reverse)

    def show(self, items: list[AwsObject]) -> None:
        """Replace the rows with ``items`` (in the current sort), keeping the cursor's object."""
        if not self._headers_added:
            self.on_mount()
        current = self.current()
        keep = self.key_of(current) if current is not None else None
        self.items = self._ordered(items)
        self.clear()
        cursor = 0
        seen: set[str] = set()
        for index, item in enumerate(self.items):
            key = self.key_of(item)
            if key in seen:  # the same object listed twice must not crash the table
                key = f"{key}#{index}"
            seen.add(key)
            self.add_row(*self._row(item, key), key=key)
            if key == keep:
                cursor = index
        if self.items:
            self.move_cursor(row=cursor, animate=False)

    def sort_by(self, column: int, reverse: bool | None = None) -> str:
        """Sort by ``column`` (same column again flips the order); returns its header."""
        if reverse is None:
            reverse = not self.sort_reverse if column == self.sort_column else False
        self.sort_column, self.sort_reverse = column, reverse
        self.show(self.items)
        return self.columns_spec[column][0]

    def current(self) -> AwsObject | None:
        """The object under the cursor, or None when the table is empty."""
        if not self.items or self.cursor_row < 0 or self.cursor_row >= len(self.items):
            return None
        return self.items[self.cursor_row]

    def on_data_table_header_selected(self, event: DataTable.HeaderSelected) -> None:
        """A click on a header sorts by it (the keyboard way is the view's `s`)."""
        event.stop()
        self.sort_by(event.column_index)

    def cell_texts(self) -> list[list[str]]:
        """The rows as shown, plain strings (for tests and yank)."""
        return [[c.plain for c in self.get_row_at(row)] for row in range(self.row_count)]



class Sheet(DataTable[Text]):
    """A two-column "label: value" page of sections; rows may lead somewhere.

    Used for the details of an instance, a group or any AWS object: every line is a row,
    so the cursor, j/k, g/G and Enter work the same as in the lists, and a row can carry a
    target (``("group", "sg-1")``) that Enter opens.
    """

    BINDINGS: ClassVar[list[BindingType]] = ObjectTable.BINDINGS

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

    def target(self) -> tuple[str, str] | None:
        """Where Enter on the current row leads, if anywhere."""
        return self.targets.get(self.cursor_row)

    def texts(self) -> list[str]:
        """Each row as ``label value`` plain text (for tests and yank)."""
        return [
            " ".join(c.plain for c in self.get_row_at(row)).strip()
            for row in range(self.row_count)
        ]
