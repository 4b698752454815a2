"""Fitting text and tables to the screen's width, with every cut said by ``…``.

Textual sizes a DataTable's columns to their widest cell and lets the screen's edge cut
them without a mark; a status of two rows wraps where it must. A value cut silently
reads as another value (an IP one digit short), so the views fit them here.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Sequence

from rich.cells import cell_len
from rich.text import Text
from textual.widgets import DataTable

#: The narrowest a free-text column is made to fit the screen (its header's width if
#: wider): a few letters before the ``…`` still tell most values apart.
NARROWEST = 8

def fitted_widths(
    natural: Sequence[int], flexible: Collection[int], room: int, gap: int = 2,
    floors: Sequence[int] = (), keep: int | None = None,
) -> list[int]:
    """Widths for columns of ``natural`` widths (each followed by ``gap`` cells) in
    ``room`` cells: the widest of the ``flexible`` (free-text) columns gives way first,
    down to its floor (``floors``, else :data:`NARROWEST`), so that at 80 columns no
    value runs off the screen's edge unmarked: a cell cut in its column ends with ``…``.
    Columns that cannot fit even then start past the edge, none cut by it: the last
    flexible column before it widens to push it wholly off (h/l scroll to it).

    ``keep``: when not every column fits, only the first ``keep`` must show; the
    flexible ones among them take back the room the others would have had, up to their
    natural width. Without it a value gave way to fit columns that went past the edge
    all the same, and at 120 columns an ARN was cut with the room to show it whole."""
    widths = list(natural)
    floor = [max(NARROWEST, floors[i] if i < len(floors) else 0) for i in range(len(widths))]
    while sum(widths) + gap * len(widths) > room:
        shrinkable = [i for i in flexible if widths[i] > floor[i]]
        if not shrinkable:
            break
        widths[max(shrinkable, key=lambda i: (widths[i], -i))] -= 1
    if keep is not None and sum(widths) + gap * len(widths) > room:
        spare = room - sum(widths[:keep]) - gap * keep
        for index in sorted(i for i in flexible if i < keep):
            grow = max(0, min(spare, natural[index] - widths[index]))
            widths[index] += grow
            spare -= grow
    start = 0
    for index, width in enumerate(widths):
        if start < room < start + width + gap:
            before = [i for i in flexible if i < index]
            if before:
                widths[before[-1]] += room - start
            break
        start += width + gap
    return widths


def fill_table(
    table: DataTable[Text], headers: Sequence[str], rows: Iterable[Sequence[Text]],
    flexible: Collection[int], floors: Sequence[int] = (), keep: int | None = None,
) -> None:
    """Clear ``table`` and show ``rows`` under ``headers``, the columns sized by
    :func:`fitted_widths` to the table's width (Textual's own widths run past it, cut
    silently by the screen's edge). Its cells cut with ``…`` (:func:`~.base.cell`'s
    overflow); ``floors``: the narrowest a column may be made, where its header's width
    is too narrow to read its values by; ``keep``: see :func:`fitted_widths`."""
    rows = list(rows)
    natural = natural_widths(headers, rows)
    room = table_room(table, len(rows))
    widths = fitted_widths(natural, flexible, room, 2 * table.cell_padding,
                           [max(cell_len(header), floors[i] if i < len(floors) else 0)
                            for i, header in enumerate(headers)], keep)
    show_rows(table, headers, widths, rows)


def show_rows(
    table: DataTable[Text], headers: Sequence[str], widths: Sequence[int],
    rows: Iterable[Sequence[Text]],
) -> None:
    """Clear ``table`` and show ``rows`` under ``headers`` in columns ``widths`` wide."""
    table.clear(columns=True)
    for header, width in zip(headers, widths, strict=True):
        table.add_column(header, width=width)
    for row in rows:
        table.add_row(*row)


def natural_widths(headers: Sequence[str], rows: Sequence[Sequence[Text]]) -> list[int]:
    """Each column's width with nothing cut: its header's or its widest cell's."""
    return [max([cell_len(header), *(row[i].cell_len for row in rows)])
            for i, header in enumerate(headers)]


def table_room(table: DataTable[Text], rows: int) -> int:
    """The cells ``table``'s columns have across: its width, less its vertical
    scrollbar's when ``rows`` (and the header) are more than it shows."""
    room = table.size.width or table.app.size.width
    if rows + 1 > (table.size.height or table.app.size.height):
        room -= table.styles.scrollbar_size_vertical
    return room


def shortened(text: str, keep: int) -> str:
    """``text``'s first ``keep`` characters and ``…``; ``text`` itself when that is all
    of it (a ``…`` after nothing cut read as if the title were cut)."""
    return text if keep >= len(text) else text[:keep].rstrip() + "\u2026"


def longest(most: int, fits: Callable[[int], bool]) -> int:
    """The largest ``n`` up to ``most`` for which ``fits(n)`` (0 if none): a binary
    search, as wrapping is not linear in length (a word pushed to the next line)."""
    low, high = 0, most
    while low < high:
        middle = (low + high + 1) // 2
        if fits(middle):
            low = middle
        else:
            high = middle - 1
    return low
