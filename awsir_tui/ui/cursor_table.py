"""A DataTable whose cursor row stays in sight when the table's height changes.

Textual's DataTable scrolls its cursor into view when the cursor moves, against the
height it has then; when the table shrinks afterwards it keeps its scroll, and the
cursor row may be left below its last line. A view whose line under the table says
more for some rows than for others (`:regions` names the cursor row's status whole)
shrinks its table right after each move: `G` on :regions showed the row before the
last, nothing highlighted, while the line under it named the last, and space toggled
a region not in sight. A smaller terminal did the same to any cursor near the bottom.

It also draws its rows again when its columns widen. DataTable measures a changed or
added cell when its message queue is next idle, and keeps each line it drew under a
key that does not hold the columns' widths: a line drawn between an update and that
idle (a worker's answers arriving one after another) stayed cut to the old widths.
`:evidence` showed every column as wide as its title (`s…`, `comp…`) until a key was
pressed.

And it can scroll far enough for `l` to put a column's start at the left edge
(:meth:`~awsir_tui.ui.base.TableView.action_column_right`) wherever that brings the
last column wholly in sight: DataTable scrolls no further than its columns' width, and
`l` on `:evidence` stopped short of its target, a snapshot's ID cut to ``e26f`` at the
left edge (h/l moved by characters, not columns). The width is padded with blank room
on the right, as the EC2 lists leave it. With ``fixed_columns`` (`:evidence` keeps the
ID and state in place) the columns after the fixed ones scroll beside them: each is in
place at ``scroll_x`` = its start among those columns (:func:`column_offsets`).
"""

from __future__ import annotations

from rich.text import Text
from textual.geometry import Size
from textual.widgets import DataTable


def column_offsets(table: DataTable[Text]) -> tuple[list[int], int, int]:
    """The ``scroll_x`` that puts each scrolling column (those after the fixed ones) at
    the left edge of the scrolling part, the width they take together, and the room
    they have on screen: DataTable draws them from ``scroll_x`` past the fixed ones'
    width, so a count from the table's left edge put `l`'s column under the fixed
    ones."""
    widths = [column.get_render_width(table) for column in table.ordered_columns]
    fixed = sum(widths[:table.fixed_columns])
    starts, total = [], 0
    for width in widths[table.fixed_columns:]:
        starts.append(total)
        total += width
    return starts, total, table.scrollable_content_region.width - fixed


class CursorTable(DataTable[Text]):
    """A DataTable that scrolls its cursor row back into sight after every resize, and
    whose lines follow its columns' widths."""

    def on_resize(self) -> None:
        if self.row_count:
            self.move_cursor(row=self.cursor_row)
        self.virtual_size = self.virtual_size  # padded again for the new width

    def validate_virtual_size(self, size: Size) -> Size:
        """``size`` widened, if need be, to the first column's start from which the
        columns after it fit in sight, plus the table's width (its scrollbar's too: a
        scrollbar that comes with more rows resizes nothing, and a few blank cells
        more cost nothing)."""
        starts, total, _ = column_offsets(self)
        fixed = sum(column.get_render_width(self)
                    for column in self.ordered_columns[:self.fixed_columns])
        room = self.size.width - fixed
        if room <= 0 or not starts or total <= room:
            return size
        start = next((x for x in starts if x + room >= total), starts[-1])
        return Size(max(size.width, start + self.size.width), size.height)

    def watch_virtual_size(self, old: Size, new: Size) -> None:
        """The columns' widths changed (their sum is the virtual width; rows added
        change only its height): the lines drawn with the old widths are dropped
        (notify_style_update is the public call that clears DataTable's line caches and
        refreshes)."""
        if old.width != new.width:
            self.notify_style_update()
