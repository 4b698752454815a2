"""A DataTable whose cursor row stays in sight when the table's height changes.

Textual's DataTable scrolls its cursor into view when the cursor moves, against the
height it has then; when the table shrinks afterwards it keeps its scroll, and the
cursor row may be left below its last line. A view whose line under the table says
more for some rows than for others (`:regions` names the cursor row's status whole)
shrinks its table right after each move: `G` on :regions showed the row before the
last, nothing highlighted, while the line under it named the last, and space toggled
a region not in sight. A smaller terminal did the same to any cursor near the bottom.
"""

from __future__ import annotations

from rich.text import Text
from textual.widgets import DataTable


class CursorTable(DataTable[Text]):
    """A DataTable that scrolls its cursor row back into sight after every resize."""

    def on_resize(self) -> None:
        if self.row_count:
            self.move_cursor(row=self.cursor_row)
