"""`y`: copy a value to the clipboard, and to a file, the same way from every view.

OSC 52 reaches the clipboard of the terminal the responder sits at, over SSH too, but
many terminals ignore it; so the value is also written as the exports are (whole or not
at all, readable by the owner only: a yanked value is evidence) and the path is said.
What is yanked is what the view shows, so it is already redacted: the event views
yank the redacted record, the EC2 pages their redacted rows.
"""

from __future__ import annotations

from textual.screen import Screen
from textual.widget import Widget

from awsir_tui.case.secrets import REDACTED
from awsir_tui.case.store import atomic_write_text
from awsir_tui.events.event_export import new_export_path
from awsir_tui.text import clean
from awsir_tui.ui.json_view import JsonNode, JsonTree


def yank(node: Widget | Screen, text: str, what: str, extension: str = "txt") -> None:
    """Copy ``text`` to the clipboard now, and save it to a new file under the exports
    in a thread (the folder is made private and the file synced to disk: not on the
    event loop); ``what`` names it in the notification (``i-0abc…``, ``the event``)."""
    app = node.app
    app.copy_to_clipboard(text)

    def save() -> None:
        try:
            path = new_export_path("yank", extension)
            atomic_write_text(path, text)
        except OSError as exc:
            app.call_from_thread(node.notify, f"{what} copied to the clipboard (OSC 52); "
                                 f"could not save it: {clean(exc, 200)}", severity="error")
        else:
            app.call_from_thread(
                node.notify, f"{what} copied to the clipboard (OSC 52) and saved to {path}"
            )

    app.run_worker(save, thread=True, group="yank", exit_on_error=False)


def yank_tree_value(node: Widget | Screen, tree: JsonTree, nothing: str = "value") -> None:
    """Yank the JSON tree's value under the cursor, named by its key (``nothing`` when
    it has none: the root). Not a secret the tree shows redacted: ``**REDACTED**``
    would overwrite the clipboard with nothing anyone can use (Enter and `m` refuse it
    too)."""
    cursor = tree.cursor_node
    data: JsonNode | None = cursor.data if cursor is not None else None
    if data is None:
        return
    if data.is_leaf and data.as_text() == REDACTED:
        node.notify("a secret, shown redacted: nothing to yank")
        return
    yank(node, data.as_text(), clean(data.key, 40) or nothing)
