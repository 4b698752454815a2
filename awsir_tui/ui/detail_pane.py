"""The pane under a list that shows the row under the cursor whole, and follows it.

At 80 columns a table cuts what a responder must read in full (an ARN, a user agent,
a request) and leaves whole columns to the right; the pane under it shows every field
of the row under the cursor, one a line. :timeline and :indicators share it, so that
both look and answer alike: the table keeps the focus (j/k, Enter), the pane follows
its cursor, and J/K scroll a pane that holds more than its height shows. The event
page's value under its tree is such a pane too.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import ClassVar

from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, RenderableType, RenderResult
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import DataTable, Static

from awsir_tui.case.secrets import safe_text
from awsir_tui.ui.base import TableView, TextScroll, View

#: Where a value too long to sit beside its label starts, on the lines under it.
INDENT = 2
#: What a value too long for a whole line is broken after, in order of preference: a
#: space first (``user  ARN`` keeps the ARN whole), then ``/`` or ``:``, which leave
#: whole the parts a responder copies (an ARN's names, an instance ID after its ``/``).
_BREAKS = (" ", "/:")


def broken(value: Text, width: int) -> list[Text]:
    """``value`` in lines of at most ``width`` cells, each broken after the last natural
    break that fits (:data:`_BREAKS`), mid-word only where none does. Rich's ``fold``
    cut an ARN at the edge wherever it fell (``…/edge-pro`` then ``xy-profile``), and a
    value copied off the terminal, as over SSH, was pasted broken."""
    width = max(1, width)
    lines: list[Text] = []
    for paragraph in value.split("\n", allow_blank=True):
        rest = paragraph
        while cell_len(rest.plain) > width:
            plain = rest.plain
            fits, used = 0, 0
            # Bounded by the text too: rich counts some clusters (an emoji and its
            # variation selector) as fewer cells whole than their characters one by one.
            while fits < len(plain) and used + cell_len(plain[fits]) <= width:
                used += cell_len(plain[fits])
                fits += 1
            # A value's own leading spaces are no break (one there left an empty line).
            lead = _blanks(plain)
            cut = next((at for marks in _BREAKS
                        if (at := max(plain.rfind(mark, lead, fits) for mark in marks) + 1)),
                       max(1, fits))
            head, rest = rest.divide([cut])
            head.rstrip()  # a space broken after is no part of the line's value
            lines.append(head)
            if blanks := _blanks(rest.plain):  # nor one past the edge: the next line
                rest = rest.divide([blanks])[1]  # starts at the value
        lines.append(rest)
    return lines


def _blanks(text: str) -> int:
    """How many spaces ``text`` starts with."""
    return len(text) - len(text.lstrip(" "))


def label_value(label: Text, value: Text, label_width: int, width: int) -> Text:
    """One ``label  value`` field laid out in ``width`` cells: the value beside its
    label (padded to ``label_width``, a space of it at least; a longer label is cut) where it
    fits, else whole on the lines under it, indented by :data:`INDENT`, broken only
    where it is longer than them (see :func:`broken`). Wrapped beside its label, an ARN
    of 62 characters was cut in two at 80 columns, where on a line of its own it fits
    whole."""
    head = label.copy()
    head.truncate(label_width - 1, overflow="ellipsis", pad=True)
    line = Text()  # the label's style is its own, not the line's (the value's too)
    line.append_text(head)
    line.append(" ")
    if "\n" not in value.plain and cell_len(value.plain) <= width - line.cell_len:
        line.append_text(value)
        return line
    # A row with no label goes on the field above it (a menu's choices): its lines
    # stay in the values' column.
    indent = INDENT if label.plain.strip() else label_width
    line.rstrip()
    for number, part in enumerate(broken(value, width - indent)):
        if line.plain or number:
            line.append("\n")
        line.append(" " * indent)
        line.append_text(part)
    return line


#: The cells a pane's labels take: the longest ("event ID", "seen in") and two spaces,
#: as a page leaves after its labels.
PANE_LABEL_WIDTH = 10


class FieldLines:
    """``label  value`` lines of a pane, laid out at the width they are drawn at as a
    page lays out its fields (:func:`label_value`): a value too long to sit beside its
    label goes whole on the lines under it, so that an ARN is broken only where it is
    longer than a line (beside its label, 80 columns cut one mid-ID)."""

    def __init__(self, pairs: Sequence[tuple[str, str]]) -> None:
        self.pairs = pairs

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        for label, shown in self.pairs:
            yield label_value(Text(label, style="dim"), Text(shown), PANE_LABEL_WIDTH,
                              options.max_width)


def field_lines(pairs: Sequence[tuple[str, object]]) -> FieldLines:
    """``label  value`` lines (:class:`FieldLines`), each value clean and secret-free
    (the pane shows what the case file and the exports hold); empty ones left out."""
    shown = ((label, safe_text(value)) for label, value in pairs)
    return FieldLines([(label, value) for label, value in shown if value])


class DetailPane(TextScroll):
    """The pane: plain Text under the table, back at its top for each new row. It never
    takes the focus: the table keeps it, and the view's J/K scroll the pane (as a text
    page's j/k do, every key counted: :meth:`TextScroll.scroll_lines`)."""

    DEFAULT_CSS = """
    DetailPane { height: 7; border-top: solid $panel; scrollbar-size-vertical: 1; }
    """
    can_focus = False

    def __init__(self, *, id: str) -> None:
        super().__init__(id=id)
        self._text = Static()

    def compose(self) -> ComposeResult:
        yield self._text

    def show(self, text: RenderableType) -> None:
        """Show ``text`` (plain Text, or :func:`field_lines` of it: never read as
        markup), from its first line."""
        self._text.update(text)
        self.scroll_home(animate=False)


class PaneView(View):
    """A view with a :class:`DetailPane`, which J/K scroll whatever has the focus."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("J", "detail_down", "Scroll the pane down", show=False, id="pane.down"),
        Binding("K", "detail_up", "Scroll the pane up", show=False, id="pane.up"),
    ]

    def action_detail_down(self) -> None:
        """J: the pane down a line, after the keys before it (View.after_keys): ``jK``
        in one read scrolled the pane, then the new row's text put it back at its top."""
        self.after_keys(lambda: self.query_one(DetailPane).scroll_lines(1))

    def action_detail_up(self) -> None:
        """K: the pane up a line, after the keys before it (as J)."""
        self.after_keys(lambda: self.query_one(DetailPane).scroll_lines(-1))


class DetailedTableView(TableView, PaneView):
    """A list with a :class:`DetailPane` under its table, showing the row under the
    cursor: a subclass composes the pane, says what a row holds (:meth:`detail`) and
    what the pane says while the list is empty (``empty_hint``: how rows come)."""

    empty_hint: ClassVar[str] = ""

    def detail(self, row: int) -> RenderableType | None:
        """Everything about row ``row`` of the table, or None where there is no such row."""
        return None

    def show_detail(self) -> None:
        """The pane: the row under the cursor whole, or, with no row, how rows come."""
        shown = self.detail(self.query_one(DataTable).cursor_row)
        self.query_one(DetailPane).show(
            shown if shown is not None else Text(self.empty_hint, style="dim"))

    def on_data_table_row_highlighted(self, _event: DataTable.RowHighlighted) -> None:
        self.show_detail()


def joined(parts: Iterable[str], sep: str = "  ") -> str:
    """The non-empty ``parts``, ``sep`` between them: one line of a pane's field."""
    return sep.join(part for part in parts if part)


