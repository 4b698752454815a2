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
"""

from __future__ import annotations

from rich.text import Text
from textual.geometry import Size
from textual.widgets import DataTable


class CursorTable(DataTable[Text]):
    """A DataTable that scrolls its cursor row back into sight after every resize, and
    whose lines follow its columns' widths."""

    def on_resize(self) -> None:
        if self.row_count:
            self.move_cursor(row=self.cursor_row)

    def watch_virtual_size(self, old: Size, new: Size) -> None:
        """The columns' widths changed (their sum is the virtual width; rows added
        change only its height): the lines drawn with the old widths are dropped
        (notify_style_update is the public call that clears DataTable's line caches and
        refreshes)."""
        if old.width != new.width:
            self.notify_style_update()
