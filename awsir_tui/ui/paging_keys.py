"""The keys that page a list, the same in every kind of table the app draws.

The events and findings tables (:class:`~awsir_tui.ui.virtual_table.VirtualTable`), the
EC2 lists (:class:`~awsir_tui.ui.ec2_table.ObjectTable`) and the other lists (a
:class:`~awsir_tui.ui.base.TableView`'s DataTable) page as less and vi do: space and
``b`` a page, Ctrl+F/B too, Ctrl+D/U half of one. One list of bindings, with one set
of ids, so that a keymap entry rebinds them in every list and ``?`` names them alike;
each table has the four actions.
"""

from __future__ import annotations

from textual.binding import Binding, BindingType

PAGING_KEYS: list[BindingType] = [
    Binding("pageup,ctrl+b,b", "page_up", "Page up", show=False, id="table.page_up"),
    Binding("pagedown,ctrl+f,space", "page_down", "Page down", show=False,
            id="table.page_down"),
    Binding("ctrl+u", "half_page_up", "Half a page up", show=False, id="table.half_up"),
    Binding("ctrl+d", "half_page_down", "Half a page down", show=False, id="table.half_down"),
]
