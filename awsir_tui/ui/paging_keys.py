"""The keys that page a list or a page, the same wherever the app scrolls.

The events and findings tables (:class:`~awsir_tui.ui.virtual_table.VirtualTable`), the
EC2 lists (:class:`~awsir_tui.ui.ec2_table.ObjectTable`), the other lists (a
:class:`~awsir_tui.ui.base.TableView`'s DataTable), the details pages
(:class:`~awsir_tui.ui.ec2_table.Sheet`), the pages of text and every ``?`` help
(:class:`~awsir_tui.ui.base.TextScroll`) and the event's and policies' trees
(:class:`~awsir_tui.ui.json_view.JsonTree`) page as less and vi do: space and ``b`` a
page, Ctrl+F/B too, Ctrl+D/U half of one. One list of bindings, with one set of ids, so
that a keymap entry rebinds them everywhere and ``?`` names them alike; each widget
has the four actions. The ids keep the ``table.`` they were first given: a keymap
written for the lists goes on working.
"""

from __future__ import annotations

from dataclasses import replace

from textual.binding import Binding, BindingType

PAGING_KEYS: list[BindingType] = [
    Binding("pageup,ctrl+b,b", "page_up", "Page up", show=False, id="table.page_up"),
    Binding("pagedown,ctrl+f,space", "page_down", "Page down", show=False,
            id="table.page_down"),
    Binding("ctrl+u", "half_page_up", "Half a page up", show=False, id="table.half_up"),
    Binding("ctrl+d", "half_page_down", "Half a page down", show=False, id="table.half_down"),
]


def paging_keys_but(key: str) -> list[BindingType]:
    """:data:`PAGING_KEYS` without ``key``, for a widget that has it for something else
    (space folds a tree: the event's page said so, and kept it)."""
    kept: list[BindingType] = []
    for binding in PAGING_KEYS:
        assert isinstance(binding, Binding)
        keys = [name for name in binding.key.split(",") if name != key]
        kept.append(replace(binding, key=",".join(keys)))
    return kept


def lines_for(pages: float, in_sight: int) -> int:
    """``pages`` of ``in_sight`` lines as a number of lines to go: one at least, down
    when ``pages`` is positive, up (negative) otherwise."""
    lines = max(1, int(in_sight * abs(pages)))
    return lines if pages > 0 else -lines


class Pages:
    """The four paging actions of a widget that pages by :meth:`page_by` (put before
    the widget's class: Tree's and DataTable's own PageDown glided, or took the
    cursor to the bottom line first).

    A page is the next page, as in less: the lines in sight go by, and the cursor as
    many lines on, on its line of the screen (nearer the edge only at either end, where
    the scroll stops short), so that space then b is back where it started: every
    list, details page and tree pages so."""

    def page_by(self, pages: float) -> None:
        """Down (up: negative) by ``pages`` of what is in sight."""
        raise NotImplementedError

    def action_page_down(self) -> None:
        self.page_by(1)

    def action_page_up(self) -> None:
        self.page_by(-1)

    def action_half_page_down(self) -> None:
        self.page_by(0.5)

    def action_half_page_up(self) -> None:
        self.page_by(-0.5)
