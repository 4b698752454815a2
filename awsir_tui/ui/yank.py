"""`y`: copy a value to the clipboard, and to a file, the same way from every view.

OSC 52 reaches the clipboard of the terminal the responder sits at, over SSH too, but
many terminals ignore it; so the value is also written as the exports are (whole or not
at all, readable by the owner only: a yanked value is evidence) and the path is said.
What is yanked is what the view shows, so it is already redacted: the event views
yank the redacted record, the EC2 pages their redacted rows.

What is yanked is attacker-controlled too: an escape sequence in a user agent (OSC 52
itself, which writes the clipboard; a CSI that repaints) would run when the file is
``cat`` or the clipboard pasted into a terminal. So every yank goes out inert, one way
for all: text as the screen shows it (:func:`awsir_tui.text.clean_multiline`: controls
made visible, line feeds and tabs kept), JSON with JSON's own escapes, so that it still
parses to the same values.

A value too large for an OSC 52 sequence most terminals take (a multi-MB record) is only
saved: many drop a longer one, or cut it, over SSH and through tmux above all, and the
clipboard would then hold nothing, or half a record, while the toast said it was copied.
"""

from __future__ import annotations

from textual.screen import Screen
from textual.widget import Widget

from awsir_tui.case.secrets import REDACTED
from awsir_tui.case.store import atomic_write_text
from awsir_tui.events.event_export import new_export_path
from awsir_tui.text import clean, clean_multiline, inert_json_text
from awsir_tui.ui.base import app_of
from awsir_tui.ui.json_view import JsonNode, JsonTree
from awsir_tui.ui.path_lines import path_lines

#: The longest OSC 52 sequence sent, in bytes: hterm's (ChromeOS, Secure Shell) limit,
#: which clipboard tools keep to as well. xterm takes more; Termux, tabby or mosh
#: take only a few KB whatever is sent, so a limit cannot serve them all.
OSC52_MAX = 100_000
#: ``ESC ] 52 ; c ;`` and BEL around the base64 text.
_OSC52_FRAME = len("\x1b]52;c;\a")


def fits_osc52(text: str) -> bool:
    """Whether ``text`` goes to the clipboard in a sequence of at most :data:`OSC52_MAX`
    bytes (base64 makes 4 of every 3 UTF-8 bytes)."""
    size = len(text.encode("utf-8", "surrogatepass"))
    return 4 * -(-size // 3) + _OSC52_FRAME <= OSC52_MAX


def yank(node: Widget | Screen, text: str, what: str, extension: str = "txt") -> None:
    """Copy ``text`` to the clipboard now, and save it to a new file among the case's
    exports in a thread (the folder is made private and the file synced to disk: not on the
    event loop); ``what`` names it in the notification (``i-0abc…``, ``the event``).
    Past :data:`OSC52_MAX` the file alone, and the toast says why. Either way made
    inert first: ``extension`` ``json`` says ``text`` is JSON, to keep parseable."""
    app = app_of(node)
    text = inert_json_text(text) if extension == "json" else clean_multiline(text)
    copied = fits_osc52(text)
    if copied:
        app.copy_to_clipboard(text)
        done = f"{what} copied to the clipboard (OSC 52)"
    else:
        size = len(text.encode("utf-8", "surrogatepass")) // 1000
        done = (f"{what} not copied to the clipboard: {size:,} KB, more than terminals "
                f"take over OSC 52 ({OSC52_MAX // 1000} KB)")

    def save() -> None:
        try:
            path = new_export_path(app.export_folder(), "yank", extension)
            atomic_write_text(path, text)
        except OSError as exc:
            app.call_from_thread(node.notify, f"{done}; could not save it: {clean(exc, 200)}",
                                 severity="error")
        else:
            where = path_lines(path)
            app.call_from_thread(node.notify, f"{done} and saved to\n{where}" if copied
                                 else f"{done}; saved to\n{where}",
                                 severity="information" if copied else "warning")

    app.run_worker(save, thread=True, group="yank", exit_on_error=False)


def yank_tree_value(node: Widget | Screen, tree: JsonTree, nothing: str = "value") -> None:
    """Yank the JSON tree's value under the cursor, named by its key (``nothing`` when
    it has none: the root): a value as text, an object or a list as JSON. Not a secret
    the tree shows redacted: ``**REDACTED**`` would overwrite the clipboard with nothing
    anyone can use (Enter and `m` refuse it too)."""
    cursor = tree.cursor_node
    data: JsonNode | None = cursor.data if cursor is not None else None
    if data is None:
        return
    if data.is_leaf and data.as_text() == REDACTED:
        node.notify("a secret, shown redacted: nothing to yank")
        return
    yank(node, data.as_text(), clean(data.key, 40) or nothing,
         "txt" if data.is_leaf else "json")
